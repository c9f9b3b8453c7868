namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// A live sub-batch a diagnosis used before any IoT transaction committed it: its live sequence number (within the
/// diagnosis's epoch) and the SHA-256 of its sealed bytes. The rule that anchors it (docs/protocol.md §3): a committed
/// IoT transaction of the same patient and epoch must commit a live root over that hash within the audit's deadline.
/// </summary>
/// <param name="Sequence">The live sequence number (≥ 1).</param>
/// <param name="Hash">SHA-256 of the sealed sub-batch, 32 bytes.</param>
public sealed record LiveCitation(ulong Sequence, byte[] Hash);
