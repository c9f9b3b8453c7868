using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>One chain's status on a node.</summary>
/// <param name="Chain">Which chain.</param>
/// <param name="BlockCount">Number of blocks (the next block's height).</param>
/// <param name="TipHash">Hex hash of the last block (zeros when empty).</param>
/// <param name="Fault">Why the node refuses to serve this chain, or null.</param>
public sealed record ChainStatus(ChainId Chain, ulong BlockCount, string TipHash, string? Fault);
