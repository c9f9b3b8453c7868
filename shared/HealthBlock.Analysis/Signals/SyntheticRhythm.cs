namespace HealthBlock.Analysis;

/// <summary>
/// Ectopy, pauses and conduction changes layered on the basic rhythm of a synthetic ECG (see
/// <see cref="SyntheticEcgOptions"/> for the basic rate and RR variability). All probabilities are per conducted beat.
/// </summary>
public sealed record SyntheticRhythm
{
    /// <summary>Probability that a conducted beat is followed by an isolated premature ventricular beat (default 0).</summary>
    public double PrematureVentricularProbability { get; init; }

    /// <summary>Ventricular bigeminy: every conducted beat is followed by a premature ventricular beat (default false).</summary>
    public bool Bigeminy { get; init; }

    /// <summary>Shapes of the ventricular beats, chosen at random per ectopic event (more than one: multiform).</summary>
    public IReadOnlyList<SyntheticBeatMorphology> VentricularMorphologies { get; init; } = [SyntheticBeatMorphology.VentricularUpright];

    /// <summary>Shortest coupling interval of a premature beat, as a fraction of the current sinus RR (default 0.5).</summary>
    public double CouplingMin { get; init; } = 0.5;

    /// <summary>Longest coupling interval of a premature beat, as a fraction of the current sinus RR (default 0.7).</summary>
    public double CouplingMax { get; init; } = 0.7;

    /// <summary>Probability that a conducted beat is followed by a run of ventricular beats (default 0).</summary>
    public double VentricularRunProbability { get; init; }

    /// <summary>Fewest beats in a ventricular run (default 3).</summary>
    public int RunMinBeats { get; init; } = 3;

    /// <summary>Most beats in a ventricular run (default 8).</summary>
    public int RunMaxBeats { get; init; } = 8;

    /// <summary>Rate of ventricular runs, bpm (default 170).</summary>
    public double RunRateBpm { get; init; } = 170;

    /// <summary>Probability that a conducted beat is followed by a pause (sinus arrest) instead of the next sinus beat (default 0).</summary>
    public double PauseProbability { get; init; }

    /// <summary>Shortest pause, seconds (default 2.5).</summary>
    public double PauseMinSeconds { get; init; } = 2.5;

    /// <summary>Longest pause, seconds (default 4.5).</summary>
    public double PauseMaxSeconds { get; init; } = 4.5;

    /// <summary>Conducted-beat shapes cycled through in consecutive stretches of <see cref="ConductionSegmentSeconds"/>
    /// (conduction changes, e.g. intermittent bundle branch block); null keeps <see cref="SyntheticEcgOptions.Morphology"/>.</summary>
    public IReadOnlyList<SyntheticBeatMorphology>? ConductedMorphologies { get; init; }

    /// <summary>QRS amplitude factors cycled through with the stretches (e.g. 1, 0.35); null for 1.</summary>
    public IReadOnlyList<double>? ConductedAmplitudes { get; init; }

    /// <summary>Length of one conduction stretch, seconds (default 60).</summary>
    public double ConductionSegmentSeconds { get; init; } = 60;
}
