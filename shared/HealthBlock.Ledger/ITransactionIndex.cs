using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The committed state's transaction index: each committed transaction by id (where it is, its type, whom it is about)
/// and the transactions each party takes part in, in commit order. It grows with the chains, so a replica that keeps
/// years of blocks keeps it on disk; <see cref="InMemoryTransactionIndex"/> is the default (tests, audits, the in-memory
/// ledger). Only the committed root of a <see cref="LedgerState"/> writes it; forks keep their own additions until they merge.
/// </summary>
public interface ITransactionIndex
{
    /// <summary>Transactions indexed.</summary>
    long Count { get; }

    /// <summary>The entry of a committed transaction, or null.</summary>
    TxEntry? Find(ReadOnlySpan<byte> transactionId);

    /// <summary>Indexes a committed transaction and its parties (each listed once for it, in commit order).</summary>
    void Add(byte[] transactionId, TxEntry entry, IReadOnlyList<IdentityId> parties);

    /// <summary>The party's transactions on <paramref name="chain"/> at or above <paramref name="fromHeight"/>, in commit order, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<TxLocation> PartyTransactions(IdentityId party, ChainId chain, ulong fromHeight, int limit);
}
