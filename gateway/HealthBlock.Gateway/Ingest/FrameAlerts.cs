using HealthBlock.Alerts;

namespace HealthBlock.Gateway.Ingest;

/// <summary>Turns refused frames into alerts that name their source (device, MQTT client, address).</summary>
public static class FrameAlerts
{
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
