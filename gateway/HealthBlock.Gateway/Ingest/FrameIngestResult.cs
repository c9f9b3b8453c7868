using HealthBlock.Protocol.Frames;

namespace HealthBlock.Gateway.Ingest;

/// <summary>The result of ingesting one MQTT message.</summary>
/// <param name="Accepted">True when the frame is durable (newly or already) and may be acknowledged as success.</param>
/// <param name="Reason">Why it was refused, when it was (a duplicate is accepted and still names <see cref="FrameRejection.Duplicate"/>).</param>
/// <param name="Detail">A one-line detail.</param>
/// <param name="Frame">The decoded frame, when decoding got that far.</param>
/// <param name="FrameId">The journal id, when journalled.</param>
public sealed record FrameIngestResult(bool Accepted, FrameRejection? Reason, string Detail, DeviceFrame? Frame, long FrameId);
