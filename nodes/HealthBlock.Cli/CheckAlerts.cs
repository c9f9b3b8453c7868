using System.Globalization;
using HealthBlock.Alerts;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;

namespace HealthBlock.Cli;

/// <summary>The alerts <c>healthblock audit</c> and <c>healthblock store verify</c> raise when a check fails.</summary>
internal static class CheckAlerts
{
    /// <summary>The alert for a failed ledger audit, naming the node audited, the chain and the height.</summary>
    public static Alert AuditFailed(AuditReport report, string ledgerUrl)
    {
        var where = Where(report);
        var details = new Dictionary<string, string>
        {
            ["reason"] = report.Reason.ToString(),
            ["stateHash"] = report.StateHash,
            ["nodeStateHash"] = report.NodeStateHash,
        };
        if (report.Chain is { } c)
        {
            details["chain"] = LedgerText.ChainName(c);
            if (report.Height is { } height)
            {
                details["height"] = height.ToString(CultureInfo.InvariantCulture);
            }
        }

        return new Alert(AlertKind.AuditMismatch, $"Ledger audit of {ledgerUrl} failed at {where}: {report.Reason}: {report.Message}")
        {
            Node = ledgerUrl,
            Details = details,
        };
    }

    /// <summary>Where an audit failed: chain and height, the chain alone (a node refusing to serve it), or the ledger.</summary>
    public static string Where(AuditReport report) => report.Chain switch
    {
        { } chain when report.Height is { } height => $"{LedgerText.ChainName(chain)} height {height}",
        { } chain => LedgerText.ChainName(chain),
        null => "ledger",
    };

    /// <summary>The alert for a stored block that no longer hashes to its CID.</summary>
    public static Alert BlockTampered(Cid cid, string storeFolder) =>
        new(AlertKind.StoreTampered, $"Block {cid} in the store at {storeFolder} no longer hashes to its CID")
        {
            Node = "store:" + storeFolder,
            Details = new Dictionary<string, string> { ["cid"] = cid.ToString() },
        };

    /// <summary>The alert for a block a committed transaction references that no holder has (every copy lost or withheld).</summary>
    public static Alert BlockMissing(StoredBlockReference reference, IReadOnlyList<string> storeFolders) =>
        new(AlertKind.BlockMissing, $"Block {reference.Cid}, the {reference.What} of transaction {reference.TransactionId} of patient {reference.Patient}, is held by none of the stores at {string.Join(", ", storeFolders)}")
        {
            Node = "store:" + string.Join(",", storeFolders),
            IdentityId = reference.Patient.ToString(),
            Details = new Dictionary<string, string>
            {
                ["cid"] = reference.Cid.ToString(),
                ["tx"] = reference.TransactionId,
                ["object"] = reference.What,
                ["chain"] = LedgerText.ChainName(reference.Chain),
                ["height"] = reference.Height.ToString(CultureInfo.InvariantCulture),
            },
        };
}
