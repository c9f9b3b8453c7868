namespace HealthBlock.Analysis;

/// <summary>Tuning parameters of <see cref="QrsDetector"/>. The defaults are the validated configuration.</summary>
public sealed record QrsDetectorOptions
{
    /// <summary>Lower edge of the QRS band-pass, Hz (default 8: above most electrode-motion and wander energy;
    /// Pan-Tompkins used 5).</summary>
    public double BandLowHz { get; init; } = 8.0;

    /// <summary>Upper edge of the QRS band-pass, Hz (default 20; Pan-Tompkins used 15).</summary>
    public double BandHighHz { get; init; } = 20.0;

    /// <summary>Moving-window integration width, seconds (default 0.100: shorter than Pan-Tompkins' 150 ms so that
    /// complexes stay separate up to 240 bpm; the ±200 ms dominance rule keeps a wide QRS as one candidate).</summary>
    public double IntegrationWindowSeconds { get; init; } = 0.100;

    /// <summary>Refractory period: no two beats closer than this, seconds (default 0.200).</summary>
    public double RefractorySeconds { get; init; } = 0.200;

    /// <summary>Threshold 1 = noise level + this fraction of (signal level − noise level) (default 0.3 of the linear
    /// feature, about Pan-Tompkins' 0.25 of the squared one).</summary>
    public double ThresholdFraction { get; init; } = 0.3;

    /// <summary>A candidate closer than this to the previous beat is tested as a possible T wave, seconds (default 0.360).</summary>
    public double TWaveWindowSeconds { get; init; } = 0.360;

    /// <summary>A possible T wave whose maximal slope is below this fraction of the previous beat's slope is
    /// rejected (default 0.5, as in Pan-Tompkins).</summary>
    public double TWaveSlopeRatio { get; init; } = 0.5;

    /// <summary>Search back for a missed beat when no beat was found for this multiple of the recent median RR
    /// interval (default 1.66, as in Pan-Tompkins).</summary>
    public double SearchBackFactor { get; init; } = 1.66;

    /// <summary>Length of the initial learning period used to seed the thresholds, seconds (default 8). Beats of this
    /// period are reported once it is over.</summary>
    public double LearningSeconds { get; init; } = 8.0;

    /// <summary>When no beat has been found for this long (and at least 3 median RR intervals), or three beats in a row
    /// were found only by search-back, the signal level is re-learnt from the candidates since the last beat, so that a
    /// sudden drop in QRS amplitude is followed, seconds (default 3).</summary>
    public double RelearnAfterSeconds { get; init; } = 3.0;

    /// <summary>Minimum correlation with a known beat template for a candidate to count as a beat while the context is
    /// noisy (default 0.75).</summary>
    public double MorphologyCorrelation { get; init; } = 0.75;

    /// <summary>The context is noisy when the noise peak level exceeds this fraction of the signal peak level
    /// (default 0.2); new beat shapes are then not believed.</summary>
    public double NoisyLevelRatio { get; init; } = 0.2;

    /// <summary>A re-learnt signal level is accepted only if it is at least this fraction of the old one (default 0.25),
    /// so that noise during a real pause does not become beats.</summary>
    public double RelearnFloor { get; init; } = 0.25;
}
