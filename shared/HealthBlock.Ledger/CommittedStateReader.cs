using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// Answers the <see cref="ILedgerReader"/> queries from a committed <see cref="LedgerState"/> and the blocks behind
/// it: one implementation for every ledger that holds the state itself (the accounting node, the in-memory ledger).
/// </summary>
/// <remarks>
/// The owner keeps its state behind <paramref name="sync"/> and may replace it; every read takes that lock and asks
/// <paramref name="committed"/> for the current state. Safe for concurrent use.
/// </remarks>
/// <param name="genesis">The genesis.</param>
/// <param name="sync">The owner's lock over its state.</param>
/// <param name="committed">The current committed state (called under <paramref name="sync"/>).</param>
/// <param name="blocks">The committed blocks.</param>
/// <param name="status">The owner's status.</param>
public sealed class CommittedStateReader(Genesis genesis, object sync, Func<LedgerState> committed, IBlockSource blocks, Func<LedgerStatus> status) : ILedgerReader
{
    /// <summary>Most transactions one <see cref="GetTransactionsForAsync"/> answer holds.</summary>
    public const int MaxTransactionsPerQuery = 10_000;

    /// <inheritdoc />
    public Task<CommittedTransaction?> GetTransactionAsync(ReadOnlyMemory<byte> transactionId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(s => s.FindTransaction(transactionId.Span)) is { } l ? ReadTransaction(l, withProof: true) : null);

    /// <inheritdoc />
    public Task<Block?> GetBlockAsync(ChainId chain, ulong height, CancellationToken cancellationToken = default) =>
        Task.FromResult(blocks.ReadBlock(chain, height));

    /// <inheritdoc />
    public Task<IReadOnlyList<CommittedTransaction>> GetTransactionsForAsync(IdentityId party, ChainId chain, ulong fromHeight, int limit = 1000, CancellationToken cancellationToken = default)
    {
        var locations = Read(s => s.GetPartyTransactions(party, chain, fromHeight, Math.Clamp(limit, 1, MaxTransactionsPerQuery)));
        var result = new List<CommittedTransaction>(locations.Count);
        Block? block = null;
        foreach (var l in locations)
        {
            if (block is null || block.Header.Height != l.Height)
            {
                block = blocks.ReadBlock(chain, l.Height);
            }

            if (block is not null)
            {
                result.Add(CommittedTransaction.FromBlock(block, l.Index, withProof: false));
            }
        }

        return Task.FromResult<IReadOnlyList<CommittedTransaction>>(result);
    }

    /// <inheritdoc />
    public Task<IdentityRecord?> GetIdentityAsync(IdentityId id, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(s => s.GetIdentity(id)));

    /// <inheritdoc />
    public Task<IReadOnlyList<IdentityRecord>> GetIdentitiesAsync(Role? role, IdentityId? after = null, int limit = 1000, CancellationToken cancellationToken = default)
    {
        var from = after?.ToString();
        return Task.FromResult<IReadOnlyList<IdentityRecord>>(Read(s => s.AllIdentities
            .Where(i => (role is null || i.Role == role) && (from is null || string.CompareOrdinal(i.Id.ToString(), from) > 0))
            .OrderBy(i => i.Id.ToString(), StringComparer.Ordinal)
            .Take(Math.Clamp(limit, 1, MaxTransactionsPerQuery))
            .ToList()));
    }

    /// <inheritdoc />
    public Task<PatientKeys?> GetPatientKeysAsync(IdentityId patient, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(s => s.GetPatientKeys(patient)));

    /// <inheritdoc />
    public Task<CommittedTransaction?> GetLatestKeyTransactionAsync(IdentityId patient, CancellationToken cancellationToken = default)
    {
        var location = Read(s => s.GetPatientKeys(patient)?.LatestKeyTransaction is { } id ? s.FindTransaction(id) : null);
        return Task.FromResult(location is { } l ? ReadTransaction(l, withProof: true) : null);
    }

    /// <inheritdoc />
    public Task<ulong> GetBalanceAsync(IdentityId id, CancellationToken cancellationToken = default) => Task.FromResult(Read(s => s.GetBalance(id)));

    /// <inheritdoc />
    public Task<ulong> GetCreditAsync(IdentityId doctor, IdentityId patient, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(s => s.GetCredit(doctor, patient)));

    /// <inheritdoc />
    public Task<ulong> GetNextNonceAsync(IdentityId signer, CancellationToken cancellationToken = default) => Task.FromResult(Read(s => s.GetNextNonce(signer)));

    /// <inheritdoc />
    public Task<Genesis> GetGenesisAsync(CancellationToken cancellationToken = default) => Task.FromResult(genesis);

    /// <inheritdoc />
    public Task<LedgerStatus> GetStatusAsync(CancellationToken cancellationToken = default) => Task.FromResult(status());

    private T Read<T>(Func<LedgerState, T> read)
    {
        lock (sync)
        {
            return read(committed());
        }
    }

    private CommittedTransaction? ReadTransaction(TxLocation location, bool withProof) =>
        blocks.ReadBlock(location.Chain, location.Height) is { } block ? CommittedTransaction.FromBlock(block, location.Index, withProof) : null;
}
