namespace HealthBlock.Analysis;

/// <summary>Everything <see cref="EcgAnalyzer"/> found in one ECG channel.</summary>
/// <param name="SamplingFrequency">Samples per second.</param>
/// <param name="SampleCount">Samples in the input.</param>
/// <param name="RPeaks">Detected R peaks (sample indices) in the analysed segments, ascending.</param>
/// <param name="RrIntervals">RR intervals between consecutive beats of the same analysed segment.</param>
/// <param name="HeartRate">Summary, or null when fewer than two RR intervals were found.</param>
/// <param name="AnalysedSegments">Clean stretches that were analysed.</param>
/// <param name="ExcludedSegments">Stretches left out, with the reasons.</param>
/// <param name="Findings">Screening findings (rate, rhythm, pauses, signal quality).</param>
public sealed record EcgAnalysisResult(
    double SamplingFrequency,
    int SampleCount,
    IReadOnlyList<int> RPeaks,
    IReadOnlyList<RrInterval> RrIntervals,
    HeartRateSummary? HeartRate,
    IReadOnlyList<SignalSegment> AnalysedSegments,
    IReadOnlyList<SignalSegment> ExcludedSegments,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>The beats with their labels (N, V or Q), in the order of <see cref="RPeaks"/>.</summary>
    public IReadOnlyList<EcgBeat> Beats { get; init; } = [];

    /// <summary>Seconds of ECG that were analysed.</summary>
    public double AnalysedSeconds => AnalysedSegments.Sum(s => s.Length) / SamplingFrequency;

    /// <summary>Seconds of ECG that were excluded.</summary>
    public double ExcludedSeconds => ExcludedSegments.Sum(s => s.Length) / SamplingFrequency;
}
