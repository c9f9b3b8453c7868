using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor.Tests;

/// <summary>A ledger that forwards every call to a real one; tests override the calls they hold back, fail or count.</summary>
internal abstract class LedgerProxy(ILedger inner) : ILedger
{
    protected ILedger Inner => inner;

    public virtual Task<SubmitResult> SubmitAsync(Transaction transaction, CancellationToken cancellationToken = default) => inner.SubmitAsync(transaction, cancellationToken);

    public virtual Task<TxLocation> WaitForCommitAsync(ReadOnlyMemory<byte> transactionId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        inner.WaitForCommitAsync(transactionId, timeout, cancellationToken);

    public virtual Task<CommittedTransaction?> GetTransactionAsync(ReadOnlyMemory<byte> transactionId, CancellationToken cancellationToken = default) =>
        inner.GetTransactionAsync(transactionId, cancellationToken);

    public virtual Task<Block?> GetBlockAsync(ChainId chain, ulong height, CancellationToken cancellationToken = default) => inner.GetBlockAsync(chain, height, cancellationToken);

    public virtual Task<IReadOnlyList<CommittedTransaction>> GetTransactionsForAsync(IdentityId party, ChainId chain, ulong fromHeight, int limit = 1000, CancellationToken cancellationToken = default) =>
        inner.GetTransactionsForAsync(party, chain, fromHeight, limit, cancellationToken);

    public virtual IAsyncEnumerable<Block> SubscribeAsync(ChainId chain, ulong fromHeight, CancellationToken cancellationToken = default) => inner.SubscribeAsync(chain, fromHeight, cancellationToken);

    public virtual Task<IdentityRecord?> GetIdentityAsync(IdentityId id, CancellationToken cancellationToken = default) => inner.GetIdentityAsync(id, cancellationToken);

    public virtual Task<IReadOnlyList<IdentityRecord>> GetIdentitiesAsync(Role? role, IdentityId? after = null, int limit = 1000, CancellationToken cancellationToken = default) => inner.GetIdentitiesAsync(role, after, limit, cancellationToken);

    public virtual Task<PatientKeys?> GetPatientKeysAsync(IdentityId patient, CancellationToken cancellationToken = default) => inner.GetPatientKeysAsync(patient, cancellationToken);

    public virtual Task<CommittedTransaction?> GetLatestKeyTransactionAsync(IdentityId patient, CancellationToken cancellationToken = default) =>
        inner.GetLatestKeyTransactionAsync(patient, cancellationToken);

    public virtual Task<ulong> GetBalanceAsync(IdentityId id, CancellationToken cancellationToken = default) => inner.GetBalanceAsync(id, cancellationToken);

    public virtual Task<ulong> GetCreditAsync(IdentityId doctor, IdentityId patient, CancellationToken cancellationToken = default) => inner.GetCreditAsync(doctor, patient, cancellationToken);

    public virtual Task<ulong> GetNextNonceAsync(IdentityId signer, CancellationToken cancellationToken = default) => inner.GetNextNonceAsync(signer, cancellationToken);

    public virtual Task<Genesis> GetGenesisAsync(CancellationToken cancellationToken = default) => inner.GetGenesisAsync(cancellationToken);

    public virtual Task<LedgerStatus> GetStatusAsync(CancellationToken cancellationToken = default) => inner.GetStatusAsync(cancellationToken);
}

/// <summary>Counts the credit queries made through it.</summary>
internal sealed class CreditCountingLedger(ILedger inner) : LedgerProxy(inner)
{
    private int _creditQueries;

    public int CreditQueries => Volatile.Read(ref _creditQueries);

    public override Task<ulong> GetCreditAsync(IdentityId doctor, IdentityId patient, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _creditQueries);
        return base.GetCreditAsync(doctor, patient, cancellationToken);
    }
}

/// <summary>Refuses the first diagnosis submissions with a reason (or fails them with an exception), then lets them through.</summary>
internal sealed class FlakySubmitLedger(ILedger inner) : LedgerProxy(inner)
{
    private int _failuresLeft;

    public RejectReason Reason { get; set; } = RejectReason.NoLeader;

    public Exception? Failure { get; set; }

    public int Refused { get; private set; }

    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    public override Task<SubmitResult> SubmitAsync(Transaction transaction, CancellationToken cancellationToken = default)
    {
        if (transaction.Body.Type == TransactionType.Diagnosis && Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            Refused++;
            return Failure is { } failure
                ? Task.FromException<SubmitResult>(failure)
                : Task.FromResult(SubmitResult.Reject(transaction.IdHex, new Rejection(Reason, "refused by the test")));
        }

        return base.SubmitAsync(transaction, cancellationToken);
    }
}
