using HealthBlock.Analysis;

namespace HealthBlock.Gateway.Statistics;

/// <summary>What the extractor remembers of one device's ECG stream: its origin and rate, its last beat and the unreadable spans since.</summary>
/// <param name="originMs">Wall-clock time of the stream's sample 0.</param>
/// <param name="samplingFrequency">Samples per second.</param>
internal sealed class EcgTrack(long originMs, double samplingFrequency)
{
    public long OriginMs { get; } = originMs;

    public double SamplingFrequency { get; } = samplingFrequency;

    public long? PreviousBeat { get; set; }

    public List<EcgSpan> Unreadable { get; } = [];

    /// <summary>The wall-clock time of a sample, ms (rounded down).</summary>
    public long TimeOf(long sample) => OriginMs + (long)Math.Floor(sample * 1000.0 / SamplingFrequency);

    /// <summary>The wall-clock time of a point given in seconds from sample 0, ms (rounded down).</summary>
    public long TimeOf(double seconds) => OriginMs + (long)Math.Floor(seconds * 1000.0);
}
