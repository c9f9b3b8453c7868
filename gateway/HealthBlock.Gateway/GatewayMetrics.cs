using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace HealthBlock.Gateway;

/// <summary>
/// The gateway's instruments (meter <see cref="MeterName"/>; Prometheus names in docs/metrics.md). One meter per
/// process: several gateways in one process (devnet) add up, the backlog gauge reports each patient's.
/// </summary>
public static class GatewayMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "HealthBlock.Gateway";

    private static readonly Meter Meter = new(MeterName, "1.0");
    private static readonly ConcurrentDictionary<string, Func<long>> Backlogs = new();

    private static readonly Counter<long> Accepted = Meter.CreateCounter<long>("healthblock.gateway.frames.accepted", "{frame}", "Frames journalled (acknowledged to the device)");
    private static readonly Counter<long> Refused = Meter.CreateCounter<long>("healthblock.gateway.frames.refused", "{frame}", "Frames refused, by reason");
    private static readonly Histogram<double> Fsync = Meter.CreateHistogram<double>("healthblock.gateway.journal.fsync.duration", "s", "One journal commit group: insert and fsync");
    private static readonly Counter<long> Batches = Meter.CreateCounter<long>("healthblock.gateway.batches.committed", "{batch}", "Batches whose IoT transaction committed");
    private static readonly Counter<long> BatchFrames = Meter.CreateCounter<long>("healthblock.gateway.batches.committed.frames", "{frame}", "Frames in committed batches");
    private static readonly UpDownCounter<long> Connected = Meter.CreateUpDownCounter<long>("healthblock.gateway.devices.connected", "{connection}", "MQTT clients connected to the embedded broker");

    static GatewayMetrics()
    {
        Meter.CreateObservableGauge("healthblock.gateway.backlog", () => Backlogs.Select(b => new Measurement<long>(b.Value(), new KeyValuePair<string, object?>("patient", b.Key))), "{frame}", "Frames journalled and not yet in a committed batch");
    }

    /// <summary>A frame was journalled.</summary>
    public static void FrameAccepted() => Accepted.Add(1);

    /// <summary>A frame was refused for <paramref name="reason"/>.</summary>
    public static void FrameRefused(string reason) => Refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A journal commit group took <paramref name="elapsed"/>.</summary>
    public static void JournalCommitted(TimeSpan elapsed) => Fsync.Record(elapsed.TotalSeconds);

    /// <summary>A batch of <paramref name="frames"/> frames committed.</summary>
    public static void BatchCommitted(int frames)
    {
        Batches.Add(1);
        BatchFrames.Add(frames);
    }

    /// <summary>An MQTT client connected (+1) or disconnected (−1).</summary>
    public static void DeviceConnection(int change) => Connected.Add(change);

    /// <summary>Reports <paramref name="backlog"/> as <paramref name="patient"/>'s backlog until <see cref="Forget"/>.</summary>
    public static void Track(string patient, Func<long> backlog) => Backlogs[patient] = backlog;

    /// <summary>Stops reporting <paramref name="patient"/>'s backlog.</summary>
    public static void Forget(string patient) => Backlogs.TryRemove(patient, out _);
}
