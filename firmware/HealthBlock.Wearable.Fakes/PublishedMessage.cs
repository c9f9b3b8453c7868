namespace HealthBlock.Wearable.Fakes;

/// <summary>One message an uplink delivered.</summary>
/// <param name="Topic">The MQTT topic.</param>
/// <param name="Payload">The frame bytes.</param>
public sealed record PublishedMessage(string Topic, byte[] Payload);
