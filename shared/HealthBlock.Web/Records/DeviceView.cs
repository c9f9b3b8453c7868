namespace HealthBlock.Web;

/// <summary>A paired wearable as the patient page lists it.</summary>
/// <param name="Device">The device id (16 lowercase hex digits).</param>
/// <param name="State">pending, active or removed.</param>
/// <param name="LastFrameMs">When the gateway received its last frame (Unix ms), or null.</param>
/// <param name="Frames">Frames journalled in its current pairing.</param>
/// <param name="Streaming">True when a frame arrived within the last 10 s (the wearable reports no battery level, so
/// this is its status).</param>
public sealed record DeviceView(string Device, string State, long? LastFrameMs, long Frames, bool Streaming);
