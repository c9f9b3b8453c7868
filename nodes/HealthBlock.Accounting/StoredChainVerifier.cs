using HealthBlock.Ledger;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting;

/// <summary>
/// Checks one chain's stored blocks at start-up against the state snapshot: decodes, height, link to its predecessor,
/// Merkle root, proposer (an accounting node) and its signature, every transaction signature, and that the last block
/// is the snapshot's tip. Checks the blocks from a given height (all of them, or only those above the transaction
/// index: a restart then costs what the chain grew since the last snapshot, and <c>healthblock audit</c> checks the
/// rest) and indexes into the state every block at or above another (the ones the index file lacks).
/// </summary>
internal static class StoredChainVerifier
{
    /// <summary>Null when the chain is sound; else the first problem, naming the chain and height.</summary>
    /// <param name="store">The chain's blocks.</param>
    /// <param name="state">The state snapshot they reach.</param>
    /// <param name="verifyFrom">The first height to check.</param>
    /// <param name="indexFrom">The first height to index.</param>
    public static string? Verify(BlockStore store, LedgerState state, ulong verifyFrom = 0, ulong indexFrom = 0)
    {
        var tip = state.Tip(store.Chain);
        var name = LedgerText.ChainName(store.Chain);
        var start = Math.Min(Math.Min(verifyFrom, indexFrom), tip.BlockCount);
        string? fault = null;
        var previous = new byte[32];
        if (start > 0)
        {
            try
            {
                previous = store.ReadRaw(start - 1) is { } raw ? Block.Decode(raw).Hash : previous;
            }
            catch (ProtocolException e)
            {
                fault = $"{name} block {start - 1} does not decode: {e.Message}";
            }
        }

        for (var h = start; h < tip.BlockCount; h++)
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

            if (h >= indexFrom)
            {
                state.IndexRestoredBlock(block);
            }

            if (fault is not null || h < verifyFrom)
            {
                previous = block.Hash;
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
