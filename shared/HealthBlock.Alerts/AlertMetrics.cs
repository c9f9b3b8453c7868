using System.Diagnostics.Metrics;

namespace HealthBlock.Alerts;

/// <summary>
/// Alerts raised in this process by kind (meter <see cref="MeterName"/>, counter <c>healthblock.alerts.raised</c>, tag
/// <c>kind</c>): every <see cref="AlertHub"/> counts what it is given, whatever its sinks do with it.
/// </summary>
public static class AlertMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "HealthBlock.Alerts";

    private static readonly Meter Meter = new(MeterName, "1.0");
    private static readonly Counter<long> Raised = Meter.CreateCounter<long>("healthblock.alerts.raised", "{alert}", "Alerts raised, by kind");

    /// <summary>Counts one alert of <paramref name="kind"/>.</summary>
    public static void Count(AlertKind kind) => Raised.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString()));
}
