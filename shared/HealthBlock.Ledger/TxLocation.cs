using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>Where a committed transaction is.</summary>
/// <param name="Chain">Its chain.</param>
/// <param name="Height">Height of its block.</param>
/// <param name="Index">Its position in the block.</param>
public readonly record struct TxLocation(ChainId Chain, ulong Height, int Index)
{
    /// <inheritdoc />
    public override string ToString() => $"{LedgerText.ChainName(Chain)}/{Height}/{Index}";
}
