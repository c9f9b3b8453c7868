namespace HealthBlock.Gateway.Ingest;

/// <summary>A refused frame, as raised to alert sinks.</summary>
/// <param name="Reason">Why.</param>
/// <param name="Detail">One line.</param>
/// <param name="DeviceId">The device the frame claims to come from (16 hex digits), when it could be read.</param>
/// <param name="Source">The MQTT client and address.</param>
/// <param name="Topic">The MQTT topic.</param>
public sealed record RejectedFrame(FrameRejection Reason, string Detail, string? DeviceId, FrameSource Source, string Topic);
