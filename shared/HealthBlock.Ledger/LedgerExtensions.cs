using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>Helpers over <see cref="ILedgerWriter"/>.</summary>
public static class LedgerExtensions
{
    /// <summary>
    /// Submits once, throws <see cref="LedgerRejectedException"/> on any refusal, and waits for the commit: for an
    /// admin's one-off transactions (registrations, issuance) whose nonces nobody else uses. Signers that must survive
    /// nonce clashes, duplicates and restarts use <see cref="LedgerSubmitter"/>.
    /// </summary>
    public static async Task<TxLocation> SubmitAndWaitAsync(this ILedgerWriter ledger, Transaction transaction, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(transaction);
        (await ledger.SubmitAsync(transaction, cancellationToken).ConfigureAwait(false)).EnsureAccepted();
        return await ledger.WaitForCommitAsync(transaction.IdBytes, timeout, cancellationToken).ConfigureAwait(false);
    }
}
