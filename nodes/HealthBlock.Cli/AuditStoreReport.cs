using HealthBlock.Alerts;
using HealthBlock.Ledger;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Content;
using HealthBlock.Storage.Embedded;

namespace HealthBlock.Cli;

/// <summary>
/// What <c>healthblock audit --store FOLDER…</c> says about the store: every block of each holder's embedded store
/// folder re-hashed (one line and one <see cref="AlertKind.StoreTampered"/> alert per block that no longer matches), and
/// every block a committed transaction references looked for in all of them (<see cref="StoredBlockAudit"/>: one line and
/// one <see cref="AlertKind.BlockMissing"/> alert per reference no holder has, naming the CID, the transaction and the
/// patient). The cited live sub-batches are then checked against the bundles the holders keep.
/// </summary>
internal static class AuditStoreReport
{
    /// <summary>Checks the holders; returns true when no block is tampered or missing.</summary>
    /// <param name="context">The CLI's output.</param>
    /// <param name="alerts">Where a finding is raised.</param>
    /// <param name="folders">The holders' embedded store folders (full paths).</param>
    /// <param name="storedBlocks">The references, fed with every block the audit read.</param>
    /// <param name="citations">The live citation rule, whose cited leaves are checked against the holders' bundles.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public static async Task<bool> WriteAsync(CliContext context, AlertHub alerts, IReadOnlyList<string> folders, StoredBlockAudit storedBlocks, LiveCitationAudit citations, CancellationToken cancellationToken)
    {
        var holders = folders.Select(f => new EmbeddedContentStore(f)).ToList();
        var checkedBlocks = 0;
        var tampered = 0;
        for (var i = 0; i < holders.Count; i++)
        {
            var verification = await holders[i].VerifyAllAsync(cancellationToken).ConfigureAwait(false);
            checkedBlocks += verification.BlocksChecked;
            foreach (var cid in verification.Tampered)
            {
                tampered++;
                await context.Out.WriteLineAsync($"STORE TAMPERED {cid} in {folders[i]}").ConfigureAwait(false);
                alerts.Raise(CheckAlerts.BlockTampered(cid, folders[i]));
            }
        }

        async Task<EmbeddedContentStore?> HolderOfAsync(Cid cid, CancellationToken ct)
        {
            foreach (var holder in holders)
            {
                if (await holder.HasAsync(cid, ct).ConfigureAwait(false))
                {
                    return holder;
                }
            }

            return null;
        }

        var missing = await storedBlocks.FindMissingAsync(async (cid, ct) => await HolderOfAsync(cid, ct).ConfigureAwait(false) is not null, cancellationToken).ConfigureAwait(false);
        foreach (var reference in missing)
        {
            await context.Out.WriteLineAsync(
                $"STORE MISSING {reference.Cid}: the {reference.What} of {LedgerText.ChainName(reference.Chain)} transaction {reference.TransactionId} " +
                $"(height {reference.Height}) of patient {reference.Patient}, held by none of {folders.Count} store folder(s)").ConfigureAwait(false);
            alerts.Raise(CheckAlerts.BlockMissing(reference, folders));
        }

        await context.Out.WriteLineAsync(
            $"store: {checkedBlocks} blocks checked in {folders.Count} folder(s), {tampered} tampered; " +
            $"{storedBlocks.References.Count} blocks referenced by transactions, {missing.Count} held by none").ConfigureAwait(false);

        // A cited bundle no holder has is reported above; the citation rule names each of its citations a problem.
        await citations.VerifyLeavesAsync(
            async (cid, ct) => await HolderOfAsync(cid, ct).ConfigureAwait(false) is { } holder
                ? await holder.GetAsync(cid, ct).ConfigureAwait(false)
                : throw new ProtocolException(ProtocolError.InvalidCid, $"no store folder holds it (STORE MISSING {cid})"),
            cancellationToken).ConfigureAwait(false);
        return tampered == 0 && missing.Count == 0;
    }
}
