using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// A block an audit verified, remembered by its hash: a later audit that finds another block at that height, or a chain
/// that no longer reaches it, has found a rewritten history (<see cref="RejectReason.HistoryRewritten"/>). A chain's
/// blocks are each valid on their own, so only a remembered hash tells a rewrite by the nodes that sign blocks from
/// the original.
/// </summary>
/// <param name="Chain">The chain.</param>
/// <param name="Height">The block's height.</param>
/// <param name="Hash">The block's hash (lower-case hex).</param>
/// <param name="AuditedAt">When the audit that verified it ran.</param>
public sealed record ChainCheckpoint(ChainId Chain, ulong Height, string Hash, DateTimeOffset AuditedAt);
