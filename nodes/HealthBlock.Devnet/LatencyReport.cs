using System.Text.Json;
using System.Text.Json.Serialization;

namespace HealthBlock.Devnet;

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record LatencyReport
{
    /// <summary>Median.</summary>
    public double P50 { get; init; }

    /// <summary>99th percentile.</summary>
    public double P99 { get; init; }

    /// <summary>Maximum.</summary>
    public double Max { get; init; }

    /// <summary>Samples.</summary>
    public int Count { get; init; }

    /// <summary>Percentiles of <paramref name="values"/> (nearest rank).</summary>
    public static LatencyReport Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return new LatencyReport();
        }

        var sorted = values.Order().ToArray();
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new LatencyReport { P50 = Rank(0.50), P99 = Rank(0.99), Max = sorted[^1], Count = sorted.Length };
    }
}
