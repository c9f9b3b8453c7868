using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>Where committed blocks are read from (a node's block files, or memory).</summary>
public interface IBlockSource
{
    /// <summary>Block <paramref name="height"/> of <paramref name="chain"/>, or null when the chain is not that high.</summary>
    /// <exception cref="LedgerRejectedException"><see cref="RejectReason.ChainUnavailable"/> when the chain is not served.</exception>
    Block? ReadBlock(ChainId chain, ulong height);
}
