using HealthBlock.Protocol;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// Re-verifies a ledger from its genesis through <see cref="ILedger"/> alone: for both chains, in the order they were
/// applied (block times are strictly increasing across the chains), every link, Merkle root, proposer role and
/// signature and every transaction signature, and re-applies every validation rule; then compares the recomputed
/// state hash with the node's. Entry point of <c>healthblock audit --ledger URL</c>. Blocks that earlier audits verified
/// (<see cref="ChainCheckpoint"/>) must still be there with the same hash: every block of a rewritten history can be
/// valid, so the remembered hashes are what shows a rewrite by the nodes that sign blocks.
/// </summary>
public static class LedgerAudit
{
    /// <summary>Audits up to the heights the node reports when the audit starts.</summary>
    /// <param name="ledger">The ledger (a <see cref="LedgerClient"/> or an in-process node).</param>
    /// <param name="progress">Optional progress lines.</param>
    /// <param name="cancellationToken">Cancels the audit.</param>
    /// <param name="citations">When given, also fed every applied block: the rule for diagnoses citing live sub-batches (read its problems after the run).</param>
    /// <param name="storedBlocks">When given, also fed every applied block: the blocks the transactions reference, to check against the store after the run.</param>
    /// <param name="checkpoints">Blocks earlier audits verified: each must be found again with the same hash.</param>
    public static async Task<AuditReport> RunAsync(ILedger ledger, IProgress<string>? progress = null, CancellationToken cancellationToken = default, LiveCitationAudit? citations = null, StoredBlockAudit? storedBlocks = null, IReadOnlyCollection<ChainCheckpoint>? checkpoints = null)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var status = await ledger.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        var genesis = await ledger.GetGenesisAsync(cancellationToken).ConfigureAwait(false);
        var state = LedgerState.FromGenesis(genesis);
        var counts = new ulong[2];
        var tips = new Block?[2];
        long txs = 0;
        var pinned = (checkpoints ?? []).ToLookup(c => (c.Chain, c.Height));

        AuditReport Report(bool ok, ChainId? chain, ulong? height, RejectReason reason, string message) => new(
            ok, chain, height, reason, message, counts[0], counts[1], txs,
            ok || reason == RejectReason.StateHashMismatch ? Convert.ToHexStringLower(state.ComputeStateHash()) : "",
            status.StateHash,
            [.. tips.OfType<Block>().Select(b => new ChainCheckpoint(b.Header.Chain, b.Header.Height, Convert.ToHexStringLower(b.Hash), DateTimeOffset.UtcNow))]);

        if (!string.Equals(Convert.ToHexStringLower(genesis.Hash), status.GenesisHash, StringComparison.OrdinalIgnoreCase))
        {
            return Report(false, null, null, RejectReason.GenesisMismatch, "the genesis the node serves does not match the genesis hash it reports");
        }

        foreach (var c in status.Chains)
        {
            if (c.Fault is not null)
            {
                return Report(false, c.Chain, null, RejectReason.ChainUnavailable, $"the node refuses to serve {LedgerText.ChainName(c.Chain)}: {c.Fault}");
            }
        }

        ChainId[] chains = [ChainId.Userchain, ChainId.Docchain];
        var targets = chains.Select(status.BlockCount).ToArray();
        if (checkpoints?.FirstOrDefault(c => c.Height >= status.BlockCount(c.Chain)) is { } beyond)
        {
            return Report(false, beyond.Chain, beyond.Height, RejectReason.HistoryRewritten, $"{LedgerText.ChainName(beyond.Chain)} has {status.BlockCount(beyond.Chain)} blocks, but block {beyond.Height} ({beyond.Hash}) was verified by the audit of {beyond.AuditedAt:u}: the chain was truncated");
        }
        var next = new Block?[2];

        // Each chain arrives as one stream (LedgerClient: one HTTP response per chain), merged here in applied order.
        var streams = new IAsyncEnumerator<Block>[2];
        for (var i = 0; i < 2; i++)
        {
            streams[i] = ledger.ReadBlocksAsync(chains[i], 0, targets[i], cancellationToken).GetAsyncEnumerator(cancellationToken);
        }

        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (var i = 0; i < 2; i++)
                {
                    if (next[i] is null && counts[i] < targets[i])
                    {
                        try
                        {
                            next[i] = await streams[i].MoveNextAsync().ConfigureAwait(false) ? streams[i].Current : null;
                        }
                        catch (ProtocolException e)
                        {
                            return Report(false, chains[i], counts[i], RejectReason.Malformed, $"{LedgerText.ChainName(chains[i])} block {counts[i]} does not decode: {e.Message}");
                        }

                        if (next[i] is null)
                        {
                            return Report(false, chains[i], counts[i], RejectReason.BlockMissing, $"{LedgerText.ChainName(chains[i])} block {counts[i]} is missing");
                        }

                        if (next[i]!.Header.Chain != chains[i] || next[i]!.Header.Height != counts[i])
                        {
                            return Report(false, chains[i], counts[i], RejectReason.BlockHeightMismatch, $"asked for {LedgerText.ChainName(chains[i])} block {counts[i]}, got {LedgerText.ChainName(next[i]!.Header.Chain)} block {next[i]!.Header.Height}");
                        }
                    }
                }

                if (next[0] is null && next[1] is null)
                {
                    break;
                }

                var pick = next[1] is null || (next[0] is not null && next[0]!.Header.TimeMs <= next[1]!.Header.TimeMs) ? 0 : 1;
                var block = next[pick]!;
                next[pick] = null;
                if (Rewritten(block, pinned) is { } earlier)
                {
                    return Report(false, chains[pick], block.Header.Height, RejectReason.HistoryRewritten, $"{LedgerText.ChainName(chains[pick])} block {block.Header.Height} is {Convert.ToHexStringLower(block.Hash)}, proposed by {block.Header.Proposer}, but it was {earlier.Hash} when the audit of {earlier.AuditedAt:u} verified it: the history was rewritten");
                }

                var r = state.TryApplyBlock(block, state.PreverifySignatures(block));
                if (r is not null)
                {
                    return Report(false, chains[pick], block.Header.Height, r.Reason, r.Message);
                }

                citations?.Observe(block);
                storedBlocks?.Observe(block);
                tips[pick] = block;
                counts[pick]++;
                txs += block.Transactions.Count;
                if ((counts[0] + counts[1]) % 1000 == 0)
                {
                    progress?.Report($"verified {counts[0]} userchain and {counts[1]} docchain blocks");
                }
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }

        var hash = Convert.ToHexStringLower(state.ComputeStateHash());
        return !string.Equals(hash, status.StateHash, StringComparison.OrdinalIgnoreCase)
            ? Report(false, null, null, RejectReason.StateHashMismatch, $"re-applying the chains gives state hash {hash}, the node reports {status.StateHash}")
            : Report(true, null, null, RejectReason.None, $"verified {counts[0]} userchain and {counts[1]} docchain blocks, {txs} transactions; state hash {hash}");
    }

    /// <summary>The checkpoint at <paramref name="block"/>'s height whose hash is another, if any.</summary>
    private static ChainCheckpoint? Rewritten(Block block, ILookup<(ChainId, ulong), ChainCheckpoint> pinned)
    {
        var hash = Convert.ToHexStringLower(block.Hash);
        return pinned[(block.Header.Chain, block.Header.Height)].FirstOrDefault(c => !string.Equals(c.Hash, hash, StringComparison.OrdinalIgnoreCase));
    }
}
