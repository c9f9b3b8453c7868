using HealthBlock.Analysis;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Doctor;

/// <summary>How <see cref="BatchAnalyzer"/> assembles and analyses frames.</summary>
public sealed record BatchAnalysisOptions
{
    /// <summary>ECG thresholds; null for the library defaults.</summary>
    public EcgAnalysisOptions? Ecg { get; init; }

    /// <summary>
    /// A gap between two ECG frames of one device up to this long is filled with masked samples (the recording
    /// continues, no RR interval spans the gap); a longer gap, a rate change or an overlap starts a new recording.
    /// </summary>
    public TimeSpan MaxFilledGap { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Timestamp jitter between consecutive frames that still counts as continuous.</summary>
    public TimeSpan ContinuityTolerance { get; init; } = TimeSpan.FromMilliseconds(20);
}
