using System.Net;
using HealthBlock.Crypto;
using HealthBlock.Devnet;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting.Tests;

[Collection("ledger")]
public sealed class AccountingServiceEndpointsTests
{
    [Fact]
    public async Task A_node_serves_health_readiness_and_the_named_ledger_metrics_after_commits_and_a_refusal()
    {
        await using var cluster = await LocalCluster.StartAsync(1);
        var node = await cluster.WaitForLeaderAsync(Helpers.Timeout);
        using var patientKey = IdentityKey.Generate();
        var patient = new TransactionSigner(patientKey, cluster.Genesis.NetworkId);
        await Helpers.CommitAsync(node, await Helpers.AdminRegistersAsync(node, cluster.Admin, patientKey.Public));
        await Helpers.CommitAsync(node, patient.Sign(Helpers.Iot(0, 0)));
        using var strangerKey = IdentityKey.Generate();
        var refused = await node.SubmitAsync(new TransactionSigner(strangerKey, cluster.Genesis.NetworkId).Sign(Helpers.Iot(0, 0)));
        Assert.False(refused.Accepted);

        using var http = new HttpClient(LedgerTls.PinnedHandler(node.Genesis)) { BaseAddress = node.HttpUrl };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
        var ready = await http.GetAsync("readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.StartsWith("ok: ", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains("healthblock_accounting_transactions_committed_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("healthblock_accounting_blocks_committed_total{", metrics, StringComparison.Ordinal);
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("healthblock_accounting_transactions_refused_total{", StringComparison.Ordinal) && line.Contains($"reason=\"{refused.Reason}\"", StringComparison.Ordinal));
        Assert.Contains("healthblock_accounting_raft_term{", metrics, StringComparison.Ordinal);
        Assert.Contains("healthblock_accounting_raft_leader_changes_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("healthblock_accounting_commit_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
    }
}
