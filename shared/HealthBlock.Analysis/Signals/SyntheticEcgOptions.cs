namespace HealthBlock.Analysis;

/// <summary>Parameters of <see cref="SyntheticEcg.Generate"/>.</summary>
public sealed record SyntheticEcgOptions
{
    /// <summary>Samples per second (default 250).</summary>
    public double SamplingFrequency { get; init; } = 250.0;

    /// <summary>Length, seconds (default 60).</summary>
    public double DurationSeconds { get; init; } = 60.0;

    /// <summary>Mean heart rate, bpm (default 70). Ignored when <see cref="RrIntervalsSeconds"/> is given.</summary>
    public double HeartRateBpm { get; init; } = 70.0;

    /// <summary>Beat-to-beat variability as a coefficient of variation of independent RR intervals
    /// (default 0.02 for sinus rhythm; about 0.15-0.25 mimics atrial fibrillation).</summary>
    public double RrVariability { get; init; } = 0.02;

    /// <summary>Explicit RR intervals, seconds, used in turn (cycled) instead of the rate; null for none.</summary>
    public IReadOnlyList<double>? RrIntervalsSeconds { get; init; }

    /// <summary>Draw P waves (default true); false adds 6 Hz fibrillatory waves instead, as in atrial fibrillation.</summary>
    public bool PWaves { get; init; } = true;

    /// <summary>R-wave amplitude, mV (default 1.2).</summary>
    public double RAmplitudeMv { get; init; } = 1.2;

    /// <summary>Widens the Q, R and S waves by this factor (default 1, QRS ≈ 70 ms; 2 gives a wide ≈ 140 ms QRS).</summary>
    public double QrsWidthScale { get; init; } = 1.0;

    /// <summary>Additive noise, or null for a clean signal.</summary>
    public NoiseProfile? Noise { get; init; }

    /// <summary>Random seed of the rhythm (default 1).</summary>
    public int Seed { get; init; } = 1;
}
