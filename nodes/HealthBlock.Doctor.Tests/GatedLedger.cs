using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor.Tests;

/// <summary>
/// A ledger that can hold diagnosis submissions at a gate (as if the doctor node were slow or crashed just before
/// submitting), so a test can change the world meanwhile. Everything else goes straight through.
/// </summary>
internal sealed class GatedLedger(ILedger inner) : ILedger
{
    private TaskCompletionSource? _gate;
    private TaskCompletionSource<Transaction> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The next diagnosis transaction to reach the closed gate.</summary>
    public Task<Transaction> Held => _held.Task;

    /// <summary>Holds diagnosis submissions until <see cref="Open"/>.</summary>
    public void Close()
    {
        _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Lets held and later submissions through.</summary>
    public void Open() => Interlocked.Exchange(ref _gate, null)?.TrySetResult();

    public async Task<SubmitResult> SubmitAsync(Transaction transaction, CancellationToken cancellationToken = default)
    {
        if (transaction.Body.Type == TransactionType.Diagnosis && _gate is { } gate)
        {
            _held.TrySetResult(transaction);
            await gate.Task.WaitAsync(cancellationToken);
        }

        return await inner.SubmitAsync(transaction, cancellationToken);
    }

    public Task<TxLocation> WaitForCommitAsync(ReadOnlyMemory<byte> transactionId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        inner.WaitForCommitAsync(transactionId, timeout, cancellationToken);

    public Task<CommittedTransaction?> GetTransactionAsync(ReadOnlyMemory<byte> transactionId, CancellationToken cancellationToken = default) =>
        inner.GetTransactionAsync(transactionId, cancellationToken);

    public Task<Block?> GetBlockAsync(ChainId chain, ulong height, CancellationToken cancellationToken = default) =>
        inner.GetBlockAsync(chain, height, cancellationToken);

    public Task<IReadOnlyList<CommittedTransaction>> GetTransactionsForAsync(IdentityId party, ChainId chain, ulong fromHeight, int limit = 1000, CancellationToken cancellationToken = default) =>
        inner.GetTransactionsForAsync(party, chain, fromHeight, limit, cancellationToken);

    public IAsyncEnumerable<Block> SubscribeAsync(ChainId chain, ulong fromHeight, CancellationToken cancellationToken = default) =>
        inner.SubscribeAsync(chain, fromHeight, cancellationToken);

    public Task<IdentityRecord?> GetIdentityAsync(IdentityId id, CancellationToken cancellationToken = default) =>
        inner.GetIdentityAsync(id, cancellationToken);

    public Task<PatientKeys?> GetPatientKeysAsync(IdentityId patient, CancellationToken cancellationToken = default) =>
        inner.GetPatientKeysAsync(patient, cancellationToken);

    public Task<CommittedTransaction?> GetLatestKeyTransactionAsync(IdentityId patient, CancellationToken cancellationToken = default) =>
        inner.GetLatestKeyTransactionAsync(patient, cancellationToken);

    public Task<ulong> GetBalanceAsync(IdentityId id, CancellationToken cancellationToken = default) => inner.GetBalanceAsync(id, cancellationToken);

    public Task<ulong> GetCreditAsync(IdentityId doctor, IdentityId patient, CancellationToken cancellationToken = default) =>
        inner.GetCreditAsync(doctor, patient, cancellationToken);

    public Task<ulong> GetNextNonceAsync(IdentityId signer, CancellationToken cancellationToken = default) => inner.GetNextNonceAsync(signer, cancellationToken);

    public Task<Genesis> GetGenesisAsync(CancellationToken cancellationToken = default) => inner.GetGenesisAsync(cancellationToken);

    public Task<LedgerStatus> GetStatusAsync(CancellationToken cancellationToken = default) => inner.GetStatusAsync(cancellationToken);
}
