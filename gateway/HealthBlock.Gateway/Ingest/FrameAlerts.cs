using HealthBlock.Alerts;

namespace HealthBlock.Gateway.Ingest;

/// <summary>Turns refused frames into alerts that name their source (device, MQTT client, address).</summary>
public static class FrameAlerts
{
    /// <summary>
    /// Raises every refusal of <paramref name="ingestor"/> that may be an attack on <paramref name="hub"/>, naming
    /// <paramref name="node"/> and, when <paramref name="neighbours"/> knows the client's address, the device's MAC.
    /// </summary>
    public static void Wire(FrameIngestor ingestor, AlertHub hub, string node, NeighbourTable? neighbours)
    {
        ArgumentNullException.ThrowIfNull(ingestor);
        ArgumentNullException.ThrowIfNull(hub);
        ingestor.Rejected += r =>
        {
            if (For(r) is { } alert)
            {
                hub.Raise(alert with { Node = node, DeviceMacAddress = neighbours?.LookupMac(alert.ClientAddress) });
            }
        };
    }

    /// <summary>The alert for a refusal, or null for refusals that are not an attack sign (a journal failure).</summary>
    public static Alert? For(FrameRejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        AlertKind? kind = rejection.Reason switch
        {
            RejectionReason.BadMac => AlertKind.FrameAuthenticationFailed,
            RejectionReason.Replay => AlertKind.FrameReplayed,
            RejectionReason.UnknownDevice => AlertKind.UnknownDevice,
            RejectionReason.DeviceNotActive => AlertKind.DeviceNotActive,
            RejectionReason.MalformedFrame or RejectionReason.MalformedTopic or RejectionReason.TopicMismatch or RejectionReason.WrongPatient => AlertKind.FrameMalformed,
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
