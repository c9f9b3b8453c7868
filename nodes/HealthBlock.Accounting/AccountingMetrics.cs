using DotNext.Net.Cluster.Consensus.Raft;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting;

/// <summary>
/// The accounting node's instruments (meter <see cref="MeterName"/>; Prometheus names in docs/metrics.md). One meter per
/// process: nodes of one process (devnet) tag their measurements with <c>node</c> (the first 8 characters of its id).
/// </summary>
public static class AccountingMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "HealthBlock.Accounting";

    private static readonly Meter Meter = new(MeterName, "1.0");
    private static readonly ConcurrentDictionary<string, Func<long>> Terms = new();

    private static readonly Counter<long> Committed = Meter.CreateCounter<long>("healthblock.accounting.transactions.committed", "{transaction}", "Transactions in blocks this replica applied, by chain");
    private static readonly Counter<long> Refused = Meter.CreateCounter<long>("healthblock.accounting.transactions.refused", "{transaction}", "Submissions the leader refused, by reason");
    private static readonly Counter<long> ReadRefusals = Meter.CreateCounter<long>("healthblock.accounting.reads.refused", "{request}", "Ledger reads refused (401 unauthenticated, 403 not allowed), by reason");
    private static readonly Counter<long> Blocks = Meter.CreateCounter<long>("healthblock.accounting.blocks.committed", "{block}", "Blocks this replica applied, by chain");
    private static readonly Counter<long> LeaderChanges = Meter.CreateCounter<long>("healthblock.accounting.raft.leader_changes", "{change}", "Raft leader changes this node saw");
    private static readonly Counter<long> Censorship = Meter.CreateCounter<long>("healthblock.accounting.censorship.suspected", "{transaction}", "Forwarded transactions a leader left out of its blocks past the deadline (each one alert), by chain and severity");
    private static readonly Counter<long> Unwatched = Meter.CreateCounter<long>("healthblock.accounting.censorship.unwatched", "{transaction}", "Forwarded transactions not watched for censorship because the watch was full");
    private static readonly Histogram<double> CommitLatency = Meter.CreateHistogram<double>("healthblock.accounting.commit.duration", "s", "From the leader sealing a block to this replica applying it");

    static AccountingMetrics()
    {
        Meter.CreateObservableGauge("healthblock.accounting.raft.term", ObserveTerms, "{term}", "The node's current Raft term");
    }

    /// <summary>A block this replica applied.</summary>
    public static void BlockApplied(Block block, string node, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(block);
        var chain = new KeyValuePair<string, object?>("chain", LedgerText.ChainName(block.Header.Chain));
        var tag = new KeyValuePair<string, object?>("node", node);
        Blocks.Add(1, chain, tag);
        Committed.Add(block.Transactions.Count, chain, tag);
        CommitLatency.Record(Math.Max(0, nowMs - block.Header.TimeMs) / 1000.0, tag);
    }

    /// <summary>Counts <paramref name="result"/> when it is a refusal, and returns it.</summary>
    public static SubmitResult Counted(SubmitResult result, string node)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Accepted)
        {
            SubmissionRefused(result.Reason, node);
        }

        return result;
    }

    /// <summary>Reports the cluster's term and counts its leader changes, tagged <paramref name="node"/>, until <see cref="Forget"/>.</summary>
    internal static void Watch(RaftCluster cluster, string node)
    {
        cluster.LeaderChanged += (_, _) => LeaderChanged(node);
        Track(node, () => cluster.Term);
    }

    /// <summary>A submission the leader refused.</summary>
    public static void SubmissionRefused(RejectReason reason, string node) =>
        Refused.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()), new KeyValuePair<string, object?>("node", node));

    /// <summary>A ledger read refused for <paramref name="reason"/> (a <see cref="HealthBlock.Crypto.Requests.SignedRequestFault"/> name, <c>forbidden</c> or <c>no_policy</c>).</summary>
    public static void ReadRefused(string reason, string node) =>
        ReadRefusals.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("node", node));

    /// <summary>A forwarded transaction the leader left out past the deadline (see <see cref="CensorshipWatch"/>).</summary>
    internal static void CensorshipSuspected(string chain, HealthBlock.Alerts.AlertSeverity severity, string node) =>
        Censorship.Add(1, new KeyValuePair<string, object?>("chain", chain), new KeyValuePair<string, object?>("severity", severity.ToString()), new KeyValuePair<string, object?>("node", node));

    /// <summary>A forwarded transaction not watched for censorship: the watch was full.</summary>
    internal static void CensorshipUnwatched(string node) => Unwatched.Add(1, new KeyValuePair<string, object?>("node", node));

    /// <summary>The node saw a new leader.</summary>
    public static void LeaderChanged(string node) => LeaderChanges.Add(1, new KeyValuePair<string, object?>("node", node));

    /// <summary>Reports <paramref name="term"/> as the node's term until <see cref="Forget"/>.</summary>
    public static void Track(string node, Func<long> term) => Terms[node] = term;

    /// <summary>Stops reporting the node's term (it stopped).</summary>
    public static void Forget(string node) => Terms.TryRemove(node, out _);

    private static IEnumerable<Measurement<long>> ObserveTerms() =>
        Terms.Select(t => new Measurement<long>(t.Value(), new KeyValuePair<string, object?>("node", t.Key)));
}
