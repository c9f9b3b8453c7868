using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>The outcome of <see cref="LedgerAudit.RunAsync"/>.</summary>
/// <param name="Ok">True when both chains verified and the recomputed state hash matches the node's.</param>
/// <param name="Chain">The chain of the first problem, if any.</param>
/// <param name="Height">The height of the first bad block, if any.</param>
/// <param name="Reason">The reason code of the first problem (<see cref="RejectReason.None"/> when ok).</param>
/// <param name="Message">What was found, for people.</param>
/// <param name="UserchainBlocks">Userchain blocks verified.</param>
/// <param name="DocchainBlocks">Docchain blocks verified.</param>
/// <param name="Transactions">Transactions verified.</param>
/// <param name="StateHash">The state hash recomputed by the audit (hex).</param>
/// <param name="NodeStateHash">The state hash the node reported (hex).</param>
/// <param name="Tips">The last block of each chain the audit verified (empty when it verified none), for checkpoints.</param>
public sealed record AuditReport(
    bool Ok,
    ChainId? Chain,
    ulong? Height,
    RejectReason Reason,
    string Message,
    ulong UserchainBlocks,
    ulong DocchainBlocks,
    long Transactions,
    string StateHash,
    string NodeStateHash,
    IReadOnlyList<ChainCheckpoint> Tips);
