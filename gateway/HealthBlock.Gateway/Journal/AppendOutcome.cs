namespace HealthBlock.Gateway.Journal;

/// <summary>What the journal did with a frame.</summary>
public enum AppendOutcome
{
    /// <summary>Durable in the journal (fsynced) — the frame may be acknowledged.</summary>
    Appended,

    /// <summary>The same frame (device, pairing, sequence and bytes) is already journalled; nothing was written.</summary>
    Duplicate,

    /// <summary>The sequence number is not above the device's last one and the bytes differ: a replay.</summary>
    Replay,
}
