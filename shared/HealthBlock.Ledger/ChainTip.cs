using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>The tip of one chain.</summary>
/// <param name="Chain">Which chain.</param>
/// <param name="BlockCount">Number of blocks (the height the next block gets).</param>
/// <param name="LastHash">Hash of the last block; 32 zero bytes when empty.</param>
/// <param name="LastTimeMs">Time of the last block; 0 when empty.</param>
public sealed record ChainTip(ChainId Chain, ulong BlockCount, byte[] LastHash, long LastTimeMs)
{
    /// <summary>The tip of an empty chain.</summary>
    public static ChainTip Empty(ChainId chain) => new(chain, 0, new byte[32], 0);
}
