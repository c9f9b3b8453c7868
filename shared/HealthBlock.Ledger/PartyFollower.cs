using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// Reads a party's committed transactions on one chain a little at a time: each call returns those committed since the
/// last one read, in ledger order, each once. Its position (height and index of the last transaction read) can be saved
/// and given back to a new follower, so a long history is read once. Not thread-safe.
/// </summary>
public sealed class PartyFollower
{
    /// <summary>Transactions asked for per page (the most a ledger answers at once).</summary>
    public const int PageSize = CommittedStateReader.MaxTransactionsPerQuery;

    private readonly ILedgerReader _ledger;

    /// <summary>A follower of <paramref name="party"/> on <paramref name="chain"/> that has read up to (<paramref name="height"/>, <paramref name="index"/>).</summary>
    public PartyFollower(ILedgerReader ledger, IdentityId party, ChainId chain, ulong height = 0, int index = -1)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        _ledger = ledger;
        Party = party;
        Chain = chain;
        Height = height;
        Index = index;
    }

    /// <summary>The party followed.</summary>
    public IdentityId Party { get; }

    /// <summary>The chain followed.</summary>
    public ChainId Chain { get; }

    /// <summary>Height of the block of the last transaction read (0 before any).</summary>
    public ulong Height { get; private set; }

    /// <summary>Index in its block of the last transaction read (−1 before any).</summary>
    public int Index { get; private set; }

    /// <summary>The party's transactions committed after the last one read.</summary>
    /// <exception cref="InvalidOperationException">One block holds more than <see cref="PageSize"/> transactions of the party.</exception>
    public async Task<IReadOnlyList<CommittedTransaction>> ReadNewAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<CommittedTransaction>();
        while (true)
        {
            var page = await _ledger.GetTransactionsForAsync(Party, Chain, Height, PageSize, cancellationToken).ConfigureAwait(false);
            var fresh = page.Where(t => t.Location.Height > Height || (t.Location.Height == Height && t.Location.Index > Index)).ToList();
            if (fresh.Count > 0)
            {
                result.AddRange(fresh);
                (Height, Index) = (fresh[^1].Location.Height, fresh[^1].Location.Index);
            }

            if (page.Count < PageSize)
            {
                return result;
            }

            if (fresh.Count == 0)
            {
                throw new InvalidOperationException($"Block {Height} holds more than {PageSize} transactions of {Party}: they cannot be paged.");
            }
        }
    }
}
