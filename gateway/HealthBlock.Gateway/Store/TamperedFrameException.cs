namespace HealthBlock.Gateway.Store;

/// <summary>
/// A journalled frame's sealed bytes fail to open: <c>gateway.db</c> was altered (or damaged) on disk. An
/// <see cref="IOException"/>, so loops that retry on store failures log it and go on; the batcher parks the batch.
/// </summary>
internal sealed class TamperedFrameException(long id, ulong device, long sequence, Exception inner)
    : IOException($"journal row {id} (device {Protocol.Frames.DeviceFrame.FormatDeviceId(device)}, sequence {sequence}) fails its at-rest seal: gateway.db was altered on disk", inner)
{
    /// <summary>The journal row.</summary>
    public long FrameId { get; } = id;
}
