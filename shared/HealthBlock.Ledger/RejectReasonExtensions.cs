namespace HealthBlock.Ledger;

/// <summary>What a <see cref="RejectReason"/> means for the one who submitted.</summary>
public static class RejectReasonExtensions
{
    /// <summary>
    /// True when the refusal says "not now" rather than "never": no leader, leadership lost, overloaded, not committed
    /// within the wait, chain unavailable on this node. Submitting the same transaction again later may succeed. Every
    /// other refusal is final for that transaction: retrying it unchanged is refused again.
    /// </summary>
    public static bool IsTransient(this RejectReason reason) =>
        reason is RejectReason.NoLeader or RejectReason.LeadershipLost or RejectReason.Overloaded or RejectReason.Timeout or RejectReason.ChainUnavailable;
}
