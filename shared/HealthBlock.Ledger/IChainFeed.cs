using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>Follows a chain block by block, from a height on, then live.</summary>
/// <remarks>All members are safe for concurrent use.</remarks>
public interface IChainFeed
{
    /// <summary>
    /// Every block of <paramref name="chain"/> from <paramref name="fromHeight"/> on, in order, then each new block as it
    /// commits, until cancelled. Nothing is skipped: a follower that persists the last height it handled and subscribes
    /// from the next one misses nothing.
    /// </summary>
    IAsyncEnumerable<Block> SubscribeAsync(ChainId chain, ulong fromHeight, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="SubscribeAsync"/>, but each block as its reader may read it: the header and the transactions the
    /// reader may read (<see cref="FeedBlock"/>). Over HTTP (<see cref="LedgerClient"/>) the node's feed sends only
    /// those, with Merkle proofs the client checks; an in-process ledger trusts its reader and gives every transaction,
    /// without proofs.
    /// </summary>
    async IAsyncEnumerable<FeedBlock> FollowAsync(ChainId chain, ulong fromHeight, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var block in SubscribeAsync(chain, fromHeight, cancellationToken).ConfigureAwait(false))
        {
            yield return FeedBlock.Of(block, Enumerable.Range(0, block.Transactions.Count), withProofs: false);
        }
    }
}
