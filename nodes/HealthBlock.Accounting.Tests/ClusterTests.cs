using HealthBlock.Devnet;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting.Tests;

[Trait("Category", "Slow")]
[Collection("ledger")]
public sealed class ClusterTests
{
    [Fact]
    public async Task Three_nodes_survive_a_leader_failure_and_the_old_leader_catches_up()
    {
        await using var cluster = await LocalCluster.StartAsync(3, new LocalClusterOptions { SnapshotEveryBlocks = 4 });
        using var patientKey = IdentityKey.Generate();
        var patient = new TransactionSigner(patientKey, cluster.Genesis.NetworkId);
        var committed = new List<Transaction>();

        var leader = await cluster.WaitForLeaderAsync(Helpers.Timeout);
        var follower = cluster.Running.First(n => n != leader);

        // Submitted to a follower: forwarded to the leader.
        var register = await Helpers.AdminRegistersAsync(leader, cluster.Admin, patientKey.Public);
        await Helpers.CommitAsync(follower, register);
        committed.Add(register);
        for (ulong b = 0; b < 10; b++)
        {
            var tx = patient.Sign(Helpers.Iot(0, b));
            await Helpers.CommitAsync(b % 2 == 0 ? leader : follower, tx);
            committed.Add(tx);
        }

        await WaitForSameStateAsync(cluster);

        // Stop the leader: another is elected and commits continue.
        var oldIndex = cluster.Nodes.ToList().IndexOf(leader);
        await cluster.StopNodeAsync(oldIndex);
        var newLeader = await cluster.WaitForLeaderAsync(Helpers.Timeout);
        Assert.NotSame(leader, newLeader);
        for (ulong b = 10; b < 20; b++)
        {
            var tx = patient.Sign(Helpers.Iot(0, b));
            await Helpers.CommitAsync(newLeader, tx);
            committed.Add(tx);
        }

        // Restart the old leader on its data: it resumes from its snapshot and catches up.
        var restarted = await cluster.StartNodeAsync(oldIndex);
        await WaitForSameStateAsync(cluster);
        Assert.Equal(3, cluster.Running.Count());

        // Nothing lost, nothing reordered, on every replica; every replica refused nothing.
        foreach (var node in cluster.Running)
        {
            var ids = new List<string>();
            await foreach (var block in node.SubscribeAsync(ChainId.Userchain, 0))
            {
                ids.AddRange(block.Transactions.Select(t => t.IdHex));
                if ((ulong)block.Header.Height + 1 == node.BlockCount(ChainId.Userchain))
                {
                    break;
                }
            }

            Assert.Equal(committed.Select(t => t.IdHex), ids);
            var status = await node.GetStatusAsync();
            Assert.Equal(0, status.RejectedBlocks);
            Assert.Equal(3, status.Peers.Count);
        }

        var report = await LedgerAudit.RunAsync(restarted);
        Assert.True(report.Ok, report.Message);
        Assert.Equal(21UL, await restarted.GetNextNonceAsync(patientKey.Id)); // 20 IoT transactions (the admin registered the patient)
    }

    [Fact]
    public async Task Concurrent_submissions_commit_on_all_replicas_in_one_order()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var leader = await cluster.WaitForLeaderAsync(Helpers.Timeout);
        var keys = Enumerable.Range(0, 8).Select(_ => IdentityKey.Generate()).ToArray();
        try
        {
            var signers = keys.Select(k => new TransactionSigner(k, cluster.Genesis.NetworkId)).ToArray();
            for (var i = 0; i < keys.Length; i++)
            {
                await Helpers.CommitAsync(leader, await Helpers.AdminRegistersAsync(leader, cluster.Admin, keys[i].Public, $"p{i}"));
            }

            var nodes = cluster.Running.ToArray();
            await Task.WhenAll(signers.Select(async (s, i) =>
            {
                for (ulong b = 0; b < 25; b++)
                {
                    // Each signer's transactions are sequential (nonces); signers run concurrently through different nodes.
                    await Helpers.CommitAsync(nodes[(i + (int)b) % nodes.Length], s.Sign(Helpers.Iot(0, b)));
                }
            }));

            await WaitForSameStateAsync(cluster);
            Assert.All(cluster.Running, n => Assert.Equal(8 * 26, CountTransactions(n)));
        }
        finally
        {
            foreach (var k in keys)
            {
                k.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_committed_block_with_an_invalid_transaction_is_refused_by_every_replica_and_each_alerts_naming_the_proposer()
    {
        var alerts = new System.Collections.Concurrent.ConcurrentQueue<HealthBlock.Alerts.Alert>();
        await using var hub = new HealthBlock.Alerts.AlertHub([new HealthBlock.Alerts.CallbackAlertSink("test", alerts.Enqueue)]);
        await using var cluster = await LocalCluster.StartAsync(3, new LocalClusterOptions { Alerts = hub });
        var leader = await cluster.WaitForLeaderAsync(Helpers.Timeout);
        using var patientKey = IdentityKey.Generate();
        using var doctorKey = IdentityKey.Generate();
        var admin = new TransactionSigner(cluster.Admin, cluster.Genesis.NetworkId, await leader.GetNextNonceAsync(cluster.Admin.Id));
        await Helpers.CommitAsync(leader, admin.Sign(RegisterPayload.For(doctorKey.Public, Role.Doctor, "d")));
        await WaitForSameStateAsync(cluster);
        var before = leader.StateHash;

        // A faulty leader puts a doctor's IoT transaction (wrong role) into a properly signed block.
        var doctor = new TransactionSigner(doctorKey, cluster.Genesis.NetworkId);
        var bad = doctor.Sign(Helpers.Iot(0, 0));
        var tip = await leader.GetStatusAsync();
        var last = (await leader.GetBlockAsync(ChainId.Userchain, tip.BlockCount(ChainId.Userchain) - 1))!;
        var nodeKey = cluster.NodeKey(cluster.Nodes.ToList().IndexOf(leader));
        var block = Block.Create(cluster.Genesis.NetworkId, ChainId.Userchain, last.Header.Height + 1, last.Hash, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000, nodeKey, [bad]);
        await leader.ReplicateRawAsync(block.Encode());

        await Eventually.WaitUntilAsync(() => cluster.Running.All(n => n.GetStatusAsync().Result.RejectedBlocks == 1), "every replica refused the block");
        Assert.All(cluster.Running, n => Assert.Equal(before, n.StateHash));
        Assert.All(cluster.Running, n => Assert.Null(n.GetTransactionAsync(bad.IdBytes).Result));
        Assert.All(cluster.Running, n => Assert.Contains(nameof(RejectReason.WrongRole), n.GetStatusAsync().Result.LastRejection, StringComparison.Ordinal));
        var refused = alerts.Where(a => a.Kind == HealthBlock.Alerts.AlertKind.BlockRefused).ToList();
        Assert.Equal(cluster.Running.Select(n => n.NodeId.ToString()).Order(), refused.Select(a => a.Node!).Order());
        Assert.All(refused, a =>
        {
            Assert.Equal(leader.NodeId.ToString(), a.IdentityId);
            Assert.Equal(nameof(RejectReason.BlockInvalidTransaction), a.Details["reason"]);
            Assert.Contains(bad.IdHex, a.Message, StringComparison.Ordinal);
            Assert.Equal("userchain", a.Details["chain"]);
            Assert.Equal((last.Header.Height + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), a.Details["height"]);
        });

        // The ledger goes on.
        await Helpers.CommitAsync(leader, await Helpers.AdminRegistersAsync(leader, cluster.Admin, patientKey.Public));
        await WaitForSameStateAsync(cluster);

        // Each replica's state snapshot already covers the refused entry, so a replica killed now does not replay it on
        // restart and alert again (a clean stop snapshots anyway, so only the file shows this).
        var refusedIndex = long.Parse(refused[0].Details["raftIndex"], System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < cluster.Nodes.Count; i++)
        {
            var snapshot = await File.ReadAllBytesAsync(Path.Combine(cluster.RootDirectory, $"node-{i + 1}", "state.snapshot"));
            Assert.True(System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(snapshot) >= refusedIndex, $"node {i + 1} snapshot is behind the refused entry");
        }
    }

    [Fact]
    public async Task A_forged_submission_to_a_follower_alerts_once_from_the_follower_naming_the_real_client()
    {
        var alerts = new System.Collections.Concurrent.ConcurrentQueue<HealthBlock.Alerts.Alert>();
        await using var hub = new HealthBlock.Alerts.AlertHub([new HealthBlock.Alerts.CallbackAlertSink("test", alerts.Enqueue)]);
        await using var cluster = await LocalCluster.StartAsync(3, new LocalClusterOptions { Alerts = hub });
        var leader = await cluster.WaitForLeaderAsync(Helpers.Timeout);
        var follower = cluster.Running.First(n => n != leader);
        using var victim = IdentityKey.Generate();
        using var attacker = IdentityKey.Generate();
        await Helpers.CommitAsync(leader, await Helpers.AdminRegistersAsync(leader, cluster.Admin, victim.Public));
        var forged = Transaction.Sign(new TransactionBody(cluster.Genesis.NetworkId, victim.Id, 2, 1, new PaymentPayload(attacker.Id, 1)), victim);
        var bytes = forged.Encode();
        bytes[^1] ^= 0x01; // the last byte of the signature

        using var client = new LedgerClient(follower.HttpUrl, cluster.Admin);
        var result = await client.SubmitAsync(Transaction.Decode(bytes));

        Assert.Equal(RejectReason.BadSignature, result.Reason);
        var alert = Assert.Single(alerts);
        Assert.Equal(follower.NodeId.ToString(), alert.Node);
        Assert.Equal("127.0.0.1", alert.ClientAddress);
        Assert.Equal(victim.Id.ToString(), alert.IdentityId);
    }

    private static int CountTransactions(AccountingNode node)
    {
        var n = 0;
        for (ulong h = 0; h < node.BlockCount(ChainId.Userchain); h++)
        {
            n += node.GetBlockAsync(ChainId.Userchain, h).Result!.Transactions.Count;
        }

        return n;
    }

    private static Task WaitForSameStateAsync(LocalCluster cluster) =>
        Eventually.WaitUntilAsync(
            () =>
            {
                var nodes = cluster.Running.ToArray();
                return nodes.Select(n => n.StateHash).Distinct().Count() == 1;
            },
            "all replicas report the same state hash");
}
