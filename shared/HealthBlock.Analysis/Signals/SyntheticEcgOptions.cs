namespace HealthBlock.Analysis;

/// <summary>Parameters of <see cref="SyntheticEcg.Generate"/> and <see cref="SyntheticEcgGenerator"/>.</summary>
public sealed record SyntheticEcgOptions
{
    /// <summary>Samples per second (default 250).</summary>
    public double SamplingFrequency { get; init; } = 250.0;

    /// <summary>Length, seconds (default 60; <see cref="SyntheticEcgGenerator"/> ignores it: its ECG is endless).</summary>
    public double DurationSeconds { get; init; } = 60.0;

    /// <summary>Mean heart rate, bpm (default 70). Ignored when <see cref="RrIntervalsSeconds"/> is given.</summary>
    public double HeartRateBpm { get; init; } = 70.0;

    /// <summary>Beat-to-beat variability as a coefficient of variation of independent Gaussian RR intervals
    /// (default 0.02 for sinus rhythm; about 0.15-0.25 mimics atrial fibrillation).</summary>
    public double RrVariability { get; init; } = 0.02;

    /// <summary>Uniform RR irregularity: each RR is also multiplied by a factor drawn from [1 − x, 1 + x] (default 0).</summary>
    public double RrIrregularity { get; init; }

    /// <summary>Explicit RR intervals, seconds, used in turn (cycled) instead of the rate; null for none.</summary>
    public IReadOnlyList<double>? RrIntervalsSeconds { get; init; }

    /// <summary>Time of the first beat, seconds (default 0.4).</summary>
    public double FirstBeatSeconds { get; init; } = 0.4;

    /// <summary>Draw P waves (default true); false adds 6 Hz fibrillatory waves instead, as in atrial fibrillation.</summary>
    public bool PWaves { get; init; } = true;

    /// <summary>R-wave amplitude, mV (default 1.2).</summary>
    public double RAmplitudeMv { get; init; } = 1.2;

    /// <summary>Widens the Q, R and S waves of the default normal beat by this factor (default 1, QRS ≈ 70 ms; 2 gives a
    /// wide ≈ 140 ms QRS). Ignored when <see cref="Morphology"/> is given.</summary>
    public double QrsWidthScale { get; init; } = 1.0;

    /// <summary>Shape of the conducted beats; null for a normal beat widened by <see cref="QrsWidthScale"/>.</summary>
    public SyntheticBeatMorphology? Morphology { get; init; }

    /// <summary>Ectopy, pauses and conduction changes; null for none.</summary>
    public SyntheticRhythm? Rhythm { get; init; }

    /// <summary>Respiratory modulation of the beat amplitude: each beat is scaled by 1 + x·sin(2π·0.25 Hz·t) (default 0).</summary>
    public double RespiratoryModulation { get; init; }

    /// <summary>Additive noise applied by <see cref="SyntheticEcg.Generate"/>, or null for a clean signal.</summary>
    public NoiseProfile? Noise { get; init; }

    /// <summary>Random seed of the rhythm (default 1).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The shape of conducted beats: <see cref="Morphology"/> or the widened normal beat.</summary>
    internal SyntheticBeatMorphology ConductedMorphology =>
        Morphology ?? (QrsWidthScale == 1.0 ? SyntheticBeatMorphology.Normal : SyntheticBeatMorphology.NormalWithWidth(QrsWidthScale));
}
