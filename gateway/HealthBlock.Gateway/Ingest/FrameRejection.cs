using HealthBlock.Protocol;

namespace HealthBlock.Gateway.Ingest;

/// <summary>
/// Why the gateway refused a device frame (not to be confused with the ledger's <c>RejectReason</c> for transactions).
/// Each is counted and logged with the device and client address.
/// </summary>
public enum FrameRejection
{
    /// <summary>The topic is not <c>hb/&lt;patient&gt;/&lt;device&gt;/&lt;sensor&gt;</c>.</summary>
    MalformedTopic,

    /// <summary>The topic names another patient.</summary>
    WrongPatient,

    /// <summary>The payload is not a valid frame (the detail names the <see cref="ProtocolError"/>).</summary>
    MalformedFrame,

    /// <summary>No device with this id is paired.</summary>
    UnknownDevice,

    /// <summary>The device is paired but not active (pairing window not confirmed, or removed).</summary>
    DeviceNotActive,

    /// <summary>The HMAC does not verify under the device's key.</summary>
    BadMac,

    /// <summary>The topic's device or sensor differs from the frame's.</summary>
    TopicMismatch,

    /// <summary>A sequence number at or below the device's last one, with different bytes.</summary>
    Replay,

    /// <summary>A frame already journalled (a retransmission); acknowledged, not stored twice.</summary>
    Duplicate,

    /// <summary>The journal could not make the frame durable; it is not acknowledged.</summary>
    JournalUnavailable,
}
