using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// Writes to the ledger: submit a signed transaction and await its commit. Most callers go through
/// <see cref="LedgerSubmitter"/>, which adds nonces, re-signing on a nonce clash and the duplicate rule.
/// </summary>
/// <remarks>All members are safe for concurrent use.</remarks>
public interface ILedgerWriter
{
    /// <summary>
    /// Submits a signed transaction. Accepted means the leader validated it against its speculative state and will
    /// put it in a block; await <see cref="WaitForCommitAsync"/> for the block. Rejected carries a reason code.
    /// A follower forwards the submission to the leader.
    /// </summary>
    Task<SubmitResult> SubmitAsync(Transaction transaction, CancellationToken cancellationToken = default);

    /// <summary>Waits until the transaction is committed on this node and returns where.</summary>
    /// <exception cref="LedgerRejectedException"><see cref="RejectReason.Timeout"/> after <paramref name="timeout"/>, or
    /// <see cref="RejectReason.LeadershipLost"/> when the leader dropped it (submit it again).</exception>
    Task<TxLocation> WaitForCommitAsync(ReadOnlyMemory<byte> transactionId, TimeSpan timeout, CancellationToken cancellationToken = default);
}
