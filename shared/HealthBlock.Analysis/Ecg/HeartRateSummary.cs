namespace HealthBlock.Analysis;

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
