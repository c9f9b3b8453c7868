namespace HealthBlock.Gateway.Admin;

/// <summary>A paired device as <c>healthblock gateway devices</c> lists it.</summary>
/// <param name="Device">The device id (16 lowercase hex digits).</param>
/// <param name="State">pending, active or removed.</param>
/// <param name="Pairing">Which pairing of this device id is current.</param>
/// <param name="PairedMs">When it was paired (Unix ms).</param>
/// <param name="LastSequence">The last sequence number journalled in this pairing, or null.</param>
/// <param name="LastFrameMs">When the gateway received its last frame in this pairing (Unix ms), or null.</param>
/// <param name="Frames">Frames journalled in this pairing.</param>
public sealed record DeviceSummary(string Device, string State, long Pairing, long PairedMs, long? LastSequence, long? LastFrameMs, long Frames);
