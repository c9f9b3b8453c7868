using System.Collections.Concurrent;
using HealthBlock.Devnet;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting.Tests;

[Collection("ledger")]
public sealed class StorageTests
{
    [Fact]
    public async Task A_restarted_node_resumes_and_a_block_altered_on_disk_is_refused_and_alerts_naming_its_height()
    {
        var root = Directory.CreateTempSubdirectory("healthblock-storage-").FullName;
        try
        {
            var alerts = new ConcurrentQueue<Alert>();
            await using var hub = new AlertHub([new CallbackAlertSink("test", alerts.Enqueue)]);
            await using var cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { RootDirectory = root, SnapshotEveryBlocks = 2, Alerts = hub });
            var node = cluster.Nodes[0]!;
            using var key = IdentityKey.Generate();
            var patient = new TransactionSigner(key, cluster.Genesis.NetworkId);
            await Helpers.CommitAsync(node, await Helpers.AdminRegistersAsync(node, cluster.Admin, key.Public));
            for (ulong b = 0; b < 5; b++)
            {
                await Helpers.CommitAsync(node, patient.Sign(Helpers.Iot(0, b)));
            }

            var hash = node.StateHash;
            var blocks = node.BlockCount(ChainId.Userchain);
            var block2 = (await node.GetBlockAsync(ChainId.Userchain, 2))!;

            // Restart: same state, same chain, and it keeps working.
            await cluster.StopNodeAsync(0);
            node = await cluster.StartNodeAsync(0);
            Assert.Equal(hash, node.StateHash);
            Assert.Equal(blocks, node.BlockCount(ChainId.Userchain));
            await cluster.WaitForLeaderAsync(Helpers.Timeout);
            await Helpers.CommitAsync(node, patient.Sign(Helpers.Iot(0, 5)));
            Assert.Null(node.ChainFault(ChainId.Userchain));
            Assert.Empty(alerts);

            // Alter one byte inside block 2's transaction on disk.
            await cluster.StopNodeAsync(0);
            var file = Path.Combine(root, "node-1", "userchain.blocks");
            var bytes = await File.ReadAllBytesAsync(file);
            var at = bytes.AsSpan().IndexOf(block2.Transactions[0].Signature);
            Assert.True(at > 0);
            bytes[at + 10] ^= 0x01;
            await File.WriteAllBytesAsync(file, bytes);

            node = await cluster.StartNodeAsync(0);
            var fault = node.ChainFault(ChainId.Userchain);
            Assert.NotNull(fault);
            Assert.Contains("userchain block 2", fault, StringComparison.Ordinal);
            var alert = Assert.Single(alerts);
            Assert.Equal(AlertKind.AuditMismatch, alert.Kind);
            Assert.Equal(AlertSeverity.Critical, alert.Severity);
            Assert.Equal(node.NodeId.ToString(), alert.Node);
            Assert.Equal("userchain", alert.Details["chain"]);
            Assert.Equal(file, alert.Details["file"]);
            Assert.Contains("userchain block 2", alert.Details["fault"], StringComparison.Ordinal);
            var e = await Assert.ThrowsAsync<LedgerRejectedException>(() => node.GetBlockAsync(ChainId.Userchain, 0));
            Assert.Equal(RejectReason.ChainUnavailable, e.Reason);
            Assert.Contains("block 2", e.Message, StringComparison.Ordinal);
            Assert.Null(node.ChainFault(ChainId.Docchain));
            Assert.Null(await node.GetBlockAsync(ChainId.Docchain, 0));

            using var client = new LedgerClient(node.HttpUrl, cluster.Admin);
            var status = await client.GetStatusAsync();
            Assert.Contains("block 2", status.Chains.Single(c => c.Chain == ChainId.Userchain).Fault, StringComparison.Ordinal);
            var http = await Assert.ThrowsAsync<LedgerRejectedException>(() => client.GetBlockAsync(ChainId.Userchain, 1));
            Assert.Equal(RejectReason.ChainUnavailable, http.Reason);
            var audit = await LedgerAudit.RunAsync(client);
            Assert.False(audit.Ok);
            Assert.Equal(ChainId.Userchain, audit.Chain);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
