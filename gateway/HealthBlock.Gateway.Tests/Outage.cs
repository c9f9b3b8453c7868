using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;

namespace HealthBlock.Gateway.Tests;

/// <summary>A switch between the gateway and its ledger and store: while down, every call fails as an unreachable network does.</summary>
internal sealed class Outage
{
    public bool Down { get; set; }

    public void Check(string what)
    {
        if (Down)
        {
            throw new HttpRequestException($"{what} unreachable (outage)");
        }
    }
}

/// <summary>The real ledger behind an <see cref="Outage"/>.</summary>
internal sealed class OutageLedger(ILedger inner, Outage outage) : ILedger
{
    private T Up<T>(Func<T> call)
    {
        outage.Check("ledger");
        return call();
    }

    public Task<SubmitResult> SubmitAsync(Transaction transaction, CancellationToken cancellationToken = default) => Up(() => inner.SubmitAsync(transaction, cancellationToken));

    public Task<TxLocation> WaitForCommitAsync(ReadOnlyMemory<byte> transactionId, TimeSpan timeout, CancellationToken cancellationToken = default) => Up(() => inner.WaitForCommitAsync(transactionId, timeout, cancellationToken));

    public Task<CommittedTransaction?> GetTransactionAsync(ReadOnlyMemory<byte> transactionId, CancellationToken cancellationToken = default) => Up(() => inner.GetTransactionAsync(transactionId, cancellationToken));

    public Task<Block?> GetBlockAsync(ChainId chain, ulong height, CancellationToken cancellationToken = default) => Up(() => inner.GetBlockAsync(chain, height, cancellationToken));

    public Task<IReadOnlyList<CommittedTransaction>> GetTransactionsForAsync(IdentityId party, ChainId chain, ulong fromHeight, int limit = 1000, CancellationToken cancellationToken = default) => Up(() => inner.GetTransactionsForAsync(party, chain, fromHeight, limit, cancellationToken));

    public IAsyncEnumerable<Block> SubscribeAsync(ChainId chain, ulong fromHeight, CancellationToken cancellationToken = default) => Up(() => inner.SubscribeAsync(chain, fromHeight, cancellationToken));

    public Task<IdentityRecord?> GetIdentityAsync(IdentityId id, CancellationToken cancellationToken = default) => Up(() => inner.GetIdentityAsync(id, cancellationToken));

    public Task<IReadOnlyList<IdentityRecord>> GetIdentitiesAsync(Role? role, IdentityId? after = null, int limit = 1000, CancellationToken cancellationToken = default) => Up(() => inner.GetIdentitiesAsync(role, after, limit, cancellationToken));

    public Task<PatientKeys?> GetPatientKeysAsync(IdentityId patient, CancellationToken cancellationToken = default) => Up(() => inner.GetPatientKeysAsync(patient, cancellationToken));

    public Task<CommittedTransaction?> GetLatestKeyTransactionAsync(IdentityId patient, CancellationToken cancellationToken = default) => Up(() => inner.GetLatestKeyTransactionAsync(patient, cancellationToken));

    public Task<ulong> GetBalanceAsync(IdentityId id, CancellationToken cancellationToken = default) => Up(() => inner.GetBalanceAsync(id, cancellationToken));

    public Task<ulong> GetCreditAsync(IdentityId doctor, IdentityId patient, CancellationToken cancellationToken = default) => Up(() => inner.GetCreditAsync(doctor, patient, cancellationToken));

    public Task<ulong> GetNextNonceAsync(IdentityId signer, CancellationToken cancellationToken = default) => Up(() => inner.GetNextNonceAsync(signer, cancellationToken));

    public Task<Genesis> GetGenesisAsync(CancellationToken cancellationToken = default) => Up(() => inner.GetGenesisAsync(cancellationToken));

    public Task<LedgerStatus> GetStatusAsync(CancellationToken cancellationToken = default) => Up(() => inner.GetStatusAsync(cancellationToken));
}

/// <summary>The real store behind an <see cref="Outage"/>.</summary>
internal sealed class OutageStore(IContentStore inner, Outage outage) : IContentStore
{
    public string Name => inner.Name;

    public Task<Cid> PutAsync(ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default) => Up(() => inner.PutAsync(block, cancellationToken));

    public Task<byte[]> GetAsync(Cid cid, CancellationToken cancellationToken = default) => Up(() => inner.GetAsync(cid, cancellationToken));

    public Task<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => Up(() => inner.HasAsync(cid, cancellationToken));

    public Task PinAsync(Cid cid, CancellationToken cancellationToken = default) => Up(() => inner.PinAsync(cid, cancellationToken));

    private T Up<T>(Func<T> call)
    {
        if (outage.Down)
        {
            throw new StoreUnavailableException("store unreachable (outage)");
        }

        return call();
    }
}
