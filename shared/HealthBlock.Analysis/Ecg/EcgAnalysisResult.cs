namespace HealthBlock.Analysis;

/// <summary>An RR interval between two consecutive detected beats of the same clean segment.</summary>
/// <param name="StartSample">Sample of the first R peak.</param>
/// <param name="EndSample">Sample of the second R peak.</param>
/// <param name="Seconds">Interval length, seconds.</param>
public readonly record struct RrInterval(long StartSample, long EndSample, double Seconds)
{
    /// <summary>Instantaneous heart rate, beats per minute.</summary>
    public double HeartRateBpm => 60.0 / Seconds;
}

/// <summary>Heart-rate and RR-variability summary over all analysed (clean) ECG.</summary>
/// <param name="BeatCount">Detected beats in analysed segments.</param>
/// <param name="RrCount">RR intervals used.</param>
/// <param name="MeanHeartRateBpm">60 / mean RR.</param>
/// <param name="MinHeartRateBpm">Lowest heart rate of a rate epoch (default 10 s).</param>
/// <param name="MaxHeartRateBpm">Highest heart rate of a rate epoch.</param>
/// <param name="MeanRrSeconds">Mean RR interval, seconds.</param>
/// <param name="SdnnMilliseconds">Standard deviation of RR intervals, ms.</param>
/// <param name="RmssdMilliseconds">Root mean square of successive RR differences, ms.</param>
/// <param name="CoefficientOfVariation">SDNN / mean RR.</param>
public sealed record HeartRateSummary(
    int BeatCount,
    int RrCount,
    double MeanHeartRateBpm,
    double MinHeartRateBpm,
    double MaxHeartRateBpm,
    double MeanRrSeconds,
    double SdnnMilliseconds,
    double RmssdMilliseconds,
    double CoefficientOfVariation);

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
