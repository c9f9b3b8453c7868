using HealthBlock.Ledger;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting;

/// <summary>
/// Checks one chain's stored blocks at start-up against the state snapshot: decodes, height, link to its predecessor,
/// Merkle root, proposer (an accounting node) and its signature, every transaction signature, and that the last block
/// is the snapshot's tip. Indexes every block it can decode into the state (the snapshot holds no indexes).
/// </summary>
internal static class StoredChainVerifier
{
    /// <summary>Null when the chain is sound; else the first problem, naming the chain and height.</summary>
    public static string? Verify(BlockStore store, LedgerState state)
    {
        var tip = state.Tip(store.Chain);
        var name = LedgerText.ChainName(store.Chain);
        var previous = new byte[32];
        string? fault = null;
        for (ulong h = 0; h < tip.BlockCount; h++)
        {
            var raw = store.ReadRaw(h);
            if (raw is null)
            {
                return fault ?? $"{name} block {h} is missing from {store.Path} (the state says the chain has {tip.BlockCount} blocks)";
            }

            Block block;
            try
            {
                block = Block.Decode(raw);
            }
            catch (ProtocolException e)
            {
                fault ??= $"{name} block {h} does not decode: {e.Message}";
                previous = new byte[32];
                continue;
            }

            state.IndexRestoredBlock(block);
            if (fault is not null)
            {
                continue;
            }

            fault = CheckBlock(state, block, name, h, previous);
            previous = block.Hash;
        }

        if (fault is null && tip.BlockCount > 0 && !previous.AsSpan().SequenceEqual(tip.LastHash))
        {
            fault = $"{name} block {tip.BlockCount - 1} is not the block the state snapshot recorded as the tip";
        }

        return fault;
    }

    private static string? CheckBlock(LedgerState state, Block block, string name, ulong height, byte[] previous)
    {
        var header = block.Header;
        if (header.Height != height)
        {
            return $"{name} block {height} claims height {header.Height}";
        }

        if (!header.PreviousHash.AsSpan().SequenceEqual(previous))
        {
            return $"{name} block {height} does not link to block {height - 1} (previous hash mismatch)";
        }

        if (!block.MerkleRootMatches())
        {
            return $"{name} block {height}: Merkle root does not match its transactions";
        }

        if (state.GetIdentity(header.Proposer) is not { Role: Role.AccountingNode } proposer || !block.VerifyProposer(proposer.Keys))
        {
            return $"{name} block {height}: proposer signature does not verify";
        }

        var signatures = state.PreverifySignatures(block);
        for (var i = 0; i < signatures.Length; i++)
        {
            if (signatures[i] != true)
            {
                return $"{name} block {height}: transaction {i} ({block.Transactions[i].IdHex}) signature does not verify";
            }
        }

        return null;
    }
}
