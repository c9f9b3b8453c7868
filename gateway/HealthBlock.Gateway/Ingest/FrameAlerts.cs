using HealthBlock.Alerts;

namespace HealthBlock.Gateway.Ingest;

/// <summary>Turns refused frames into alerts that name their source (device, MQTT client, address).</summary>
public static class FrameAlerts
{
    /// <summary>
    /// Raises every refusal of <paramref name="ingestor"/> that may be an attack on <paramref name="hub"/>, naming
    /// <paramref name="node"/> and, when <paramref name="neighbours"/> knows the client's address, the device's MAC;
    /// the alert's time comes from <paramref name="time"/>.
    /// </summary>
    public static void Wire(FrameIngestor ingestor, AlertHub hub, string node, NeighbourTable? neighbours, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(ingestor);
        ArgumentNullException.ThrowIfNull(hub);
        ingestor.Rejected += r =>
        {
            if (For(r) is { } alert)
            {
                hub.Raise(alert with { Node = node, Time = clock.GetUtcNow(), DeviceMacAddress = neighbours?.LookupMac(alert.ClientAddress) });
            }
        };
    }

    /// <summary>The alert for a refusal, or null for refusals that are not an attack sign (a journal failure).</summary>
    public static Alert? For(RejectedFrame rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        AlertKind? kind = rejection.Reason switch
        {
            FrameRejection.BadMac => AlertKind.FrameAuthenticationFailed,
            FrameRejection.Replay => AlertKind.FrameReplayed,
            FrameRejection.UnknownDevice => AlertKind.UnknownDevice,
            FrameRejection.DeviceNotActive => AlertKind.DeviceNotActive,
            FrameRejection.MalformedFrame or FrameRejection.MalformedTopic or FrameRejection.TopicMismatch or FrameRejection.WrongPatient => AlertKind.FrameMalformed,
            _ => null,
        };
        return kind is { } k
            ? new Alert(k, $"Frame refused ({rejection.Reason}) from device {rejection.DeviceId ?? "?"} at {rejection.Source.Address ?? "?"}: {rejection.Detail}")
            {
                DeviceId = rejection.DeviceId,
                ClientId = rejection.Source.ClientId,
                ClientAddress = rejection.Source.Address,
                Details = new Dictionary<string, string> { ["topic"] = rejection.Topic, ["reason"] = rejection.Reason.ToString() },
            }
            : null;
    }
}
