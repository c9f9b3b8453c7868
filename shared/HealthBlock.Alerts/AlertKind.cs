namespace HealthBlock.Alerts;

/// <summary>What happened. Each kind is counted separately by <see cref="AlertHub"/>.</summary>
public enum AlertKind
{
    /// <summary>Anything not covered by a more specific kind.</summary>
    Other = 0,

    /// <summary>A device frame failed its HMAC check (forged or altered frame, or a wrong device key).</summary>
    FrameAuthenticationFailed = 1,

    /// <summary>A device frame reused a sequence number with different bytes (a replay).</summary>
    FrameReplayed = 2,

    /// <summary>A payload on a device topic is not a valid frame, or the topic is malformed.</summary>
    FrameMalformed = 3,

    /// <summary>A frame names a device that is not paired with this gateway.</summary>
    UnknownDevice = 4,

    /// <summary>A frame comes from a paired device that is not active (pending pairing or removed).</summary>
    DeviceNotActive = 5,

    /// <summary>The ledger refused a transaction (bad signature, wrong role, replayed nonce, stale epoch, …).</summary>
    TransactionRefused = 6,

    /// <summary>An audit found a broken chain link, Merkle root, signature or CID.</summary>
    AuditMismatch = 7,

    /// <summary>A stored block no longer hashes to its CID (tampered with at rest or in transit).</summary>
    StoreTampered = 8,

    /// <summary>An envelope or sealed document failed authentication (wrong key, altered bytes, moved ciphertext).</summary>
    DecryptionFailed = 9,

    /// <summary>A key file could not be opened (wrong passphrase or damaged file).</summary>
    KeyFileRejected = 10,

    /// <summary>
    /// A replica refused a block that Raft had committed (a faulty or compromised proposer put an invalid transaction
    /// or a bad link into it); the replicas keep their state and the ledger goes on.
    /// </summary>
    BlockRefused = 11,

    /// <summary>
    /// A peer on a replication link presented no certificate, or one whose key is not a member's (a Raft impostor
    /// bound to a member's address, or a stranger connecting to a member); the handshake was refused.
    /// </summary>
    ImpostorPeer = 12,

    /// <summary>
    /// A bound on what outsiders can make a node hold was hit (connections per source, request rate, body or packet
    /// size); the excess was refused and the node kept serving. Raised summarised: the first hit, then counts.
    /// </summary>
    LimitReached = 13,

    /// <summary>An MQTT CONNECT with an unknown user name or a wrong password (or none).</summary>
    MqttLoginRefused = 14,

    /// <summary>
    /// A block that a committed transaction references (an IoT batch, a diagnosis document) is held by no store node:
    /// every copy was lost or withheld. It cannot be recovered from the ledger; the alert names the CID, the
    /// transaction and the patient so the loss is known and bounded.
    /// </summary>
    BlockMissing = 15,

    /// <summary>
    /// A follower forwarded a valid transaction that the leader accepted, and the leader went on sealing blocks without
    /// it past the deadline (censorship or a lost queue); the follower forwarded it again. Warning on the first
    /// deadline, Critical when the leader leaves it out again after being handed it a second time.
    /// </summary>
    CensorshipSuspected = 16,

    /// <summary>
    /// A ledger served a block that does not link to a block this party verified before at the height below it: the
    /// history was rewritten (or this party was switched to another fork). The party keeps what it verified and applies
    /// nothing of the other history.
    /// </summary>
    HistoryRewritten = 17,
}
