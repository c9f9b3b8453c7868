namespace HealthBlock.Gateway.Ingest;

/// <summary>Where a frame came from, for logs and alerts.</summary>
/// <param name="ClientId">The MQTT client id.</param>
/// <param name="Address">The client's network address, when known.</param>
public sealed record FrameSource(string ClientId, string? Address);
