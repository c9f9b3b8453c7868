namespace HealthBlock.Analysis;

/// <summary>Tuning parameters of <see cref="QrsDetector"/>. The defaults are the validated configuration.</summary>
public sealed record QrsDetectorOptions
{
    /// <summary>Lower edge of the QRS band-pass, Hz (default 5, as in Pan-Tompkins).</summary>
    public double BandLowHz { get; init; } = 5.0;

    /// <summary>Upper edge of the QRS band-pass, Hz (default 15, as in Pan-Tompkins).</summary>
    public double BandHighHz { get; init; } = 15.0;

    /// <summary>Moving-window integration width, seconds (default 0.100: shorter than Pan-Tompkins' 150 ms so that
    /// complexes stay separate up to 240 bpm; the ±200 ms dominance rule keeps a wide QRS as one candidate).</summary>
    public double IntegrationWindowSeconds { get; init; } = 0.100;

    /// <summary>Refractory period: no two beats closer than this, seconds (default 0.200).</summary>
    public double RefractorySeconds { get; init; } = 0.200;

    /// <summary>A candidate closer than this to the previous beat is tested as a possible T wave, seconds (default 0.360).</summary>
    public double TWaveWindowSeconds { get; init; } = 0.360;

    /// <summary>A possible T wave whose maximal slope is below this fraction of the previous beat's slope is
    /// rejected (default 0.5, as in Pan-Tompkins).</summary>
    public double TWaveSlopeRatio { get; init; } = 0.5;

    /// <summary>Search back for a missed beat when no beat was found for this multiple of the recent median RR
    /// interval (default 1.66, as in Pan-Tompkins).</summary>
    public double SearchBackFactor { get; init; } = 1.66;

    /// <summary>Length of the initial learning period used to seed the thresholds, seconds (default 10).</summary>
    public double LearningSeconds { get; init; } = 10.0;

    /// <summary>When no beat has been found for this long (and at least 3 median RR intervals), or three beats in a row
    /// were found only by search-back, the signal level is re-learnt from the following seconds, so that a sudden drop
    /// in QRS amplitude is followed, seconds (default 3).
    /// The new level is accepted only if it is at least 1/16 of the old one (a quarter of the amplitude), so that noise
    /// during a real pause does not become beats.</summary>
    public double RelearnAfterSeconds { get; init; } = 3.0;

    /// <summary>Half-width of the R-peak refinement window on the band-limited signal, seconds (default 0.06).</summary>
    public double RefinementSeconds { get; init; } = 0.06;
}
