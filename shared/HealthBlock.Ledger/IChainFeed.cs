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
}
