using HealthBlock.Protocol;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// Re-verifies a ledger from its genesis through <see cref="ILedger"/> alone: for both chains, in the order they were
/// applied (block times are strictly increasing across the chains), every link, Merkle root, proposer role and
/// signature and every transaction signature, and re-applies every validation rule; then compares the recomputed
/// state hash with the node's. Entry point of <c>healthblock audit --ledger URL</c>.
/// </summary>
public static class LedgerAudit
{
    /// <summary>Audits up to the heights the node reports when the audit starts.</summary>
    /// <param name="ledger">The ledger (a <see cref="LedgerClient"/> or an in-process node).</param>
    /// <param name="progress">Optional progress lines.</param>
    /// <param name="cancellationToken">Cancels the audit.</param>
    /// <param name="citations">When given, also fed every applied block: the rule for diagnoses citing live sub-batches (read its problems after the run).</param>
    /// <param name="storedBlocks">When given, also fed every applied block: the blocks the transactions reference, to check against the store after the run.</param>
    public static async Task<AuditReport> RunAsync(ILedger ledger, IProgress<string>? progress = null, CancellationToken cancellationToken = default, LiveCitationAudit? citations = null, StoredBlockAudit? storedBlocks = null)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var status = await ledger.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        var genesis = await ledger.GetGenesisAsync(cancellationToken).ConfigureAwait(false);
        var state = LedgerState.FromGenesis(genesis);
        var counts = new ulong[2];
        long txs = 0;

        AuditReport Report(bool ok, ChainId? chain, ulong? height, RejectReason reason, string message) => new(
            ok, chain, height, reason, message, counts[0], counts[1], txs,
            ok || reason == RejectReason.StateHashMismatch ? Convert.ToHexStringLower(state.ComputeStateHash()) : "",
            status.StateHash);

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
                var r = state.TryApplyBlock(block, state.PreverifySignatures(block));
                if (r is not null)
                {
                    return Report(false, chains[pick], block.Header.Height, r.Reason, r.Message);
                }

                citations?.Observe(block);
                storedBlocks?.Observe(block);
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
}
