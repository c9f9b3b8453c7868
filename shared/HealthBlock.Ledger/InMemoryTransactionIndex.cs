using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>The transaction index kept in memory (a dictionary by id and a <see cref="PartyIndex"/>). Not thread-safe: the state's owner serialises access.</summary>
public sealed class InMemoryTransactionIndex : ITransactionIndex
{
    private readonly Dictionary<byte[], TxEntry> _transactions = new(ByteArrayComparer.Instance);
    private readonly PartyIndex _parties = new();

    /// <inheritdoc />
    public long Count => _transactions.Count;

    /// <inheritdoc />
    public TxEntry? Find(ReadOnlySpan<byte> transactionId) =>
        _transactions.TryGetValue(transactionId.ToArray(), out var e) ? e : null;

    /// <inheritdoc />
    public void Add(byte[] transactionId, TxEntry entry, IReadOnlyList<IdentityId> parties)
    {
        ArgumentNullException.ThrowIfNull(parties);
        foreach (var party in parties)
        {
            _parties.Add(party, entry.Location);
        }

        _transactions[transactionId] = entry;
    }

    /// <inheritdoc />
    public IReadOnlyList<TxLocation> PartyTransactions(IdentityId party, ChainId chain, ulong fromHeight, int limit) => _parties.Get(party, chain, fromHeight, limit);
}
