using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Xunit.Abstractions;

namespace HealthBlock.Accounting.Tests;

[Trait("Category", "Slow")]
[Collection("ledger")]
public sealed class CompactionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_raft_log_stays_bounded_and_a_lagging_follower_and_a_restarted_node_catch_up_from_the_snapshot()
    {
        var root = Directory.CreateTempSubdirectory("healthblock-compaction-").FullName;
        try
        {
            await using var cluster = new CompactingCluster(root);
            await cluster.StartAllAsync();
            using var key = IdentityKey.Generate();
            var patient = new TransactionSigner(key, cluster.Genesis.NetworkId);
            var leader = await cluster.LeaderAsync();
            await Helpers.CommitAsync(leader, await Helpers.AdminRegistersAsync(leader, cluster.Admin, key.Public));
            await cluster.WaitForSameStateAsync();

            // One follower falls behind: it is stopped while the others commit many blocks and compact their logs.
            var lagging = Enumerable.Range(0, 3).First(i => !cluster[i].IsLeader);
            await cluster.StopAsync(lagging);
            leader = await cluster.LeaderAsync();
            const int transactions = 1200;
            var last = default(Transaction);
            for (ulong b = 0; b < transactions; b++)
            {
                last = patient.Sign(Helpers.Iot(0, b));
                var result = await leader.SubmitAsync(last);
                Assert.True(result.Accepted, result.Message);
                if (b % 100 == 99)
                {
                    await leader.WaitForCommitAsync(last.IdBytes, Helpers.Timeout);
                }
            }

            await leader.WaitForCommitAsync(last!.IdBytes, Helpers.Timeout);
            await cluster.WaitForSameStateAsync();
            var leaderIndex = Enumerable.Range(0, 3).First(i => i != lagging && cluster[i].IsLeader);
            var blockBytes = leader.Storage.BlockBytes(ChainId.Userchain);
            var raftBytes = cluster.RaftLogBytes(leaderIndex);
            output.WriteLine($"userchain {leader.BlockCount(ChainId.Userchain)} blocks, {blockBytes} bytes; leader's Raft log {raftBytes} bytes (chunk {CompactingCluster.ChunkBytes})");
            Assert.True(leader.BlockCount(ChainId.Userchain) > 100, "the run should make many blocks");
            Assert.True(raftBytes < blockBytes / 4, $"the Raft log ({raftBytes} bytes) should be compacted well below the chain ({blockBytes} bytes)");

            // The lagging follower restarts: its missing entries are gone from every log, so it installs the snapshot
            // (fetching the blocks it lacks from the leader in one stream) and reaches the same state.
            await cluster.StartAsync(lagging);
            await cluster.WaitForSameStateAsync();
            var caughtUp = cluster[lagging];
            Assert.Equal(leader.StateHash, caughtUp.StateHash);
            Assert.Equal(leader.BlockCount(ChainId.Userchain), caughtUp.BlockCount(ChainId.Userchain));
            Assert.Equal(0, (await caughtUp.GetStatusAsync()).RejectedBlocks);
            Assert.True(caughtUp.SnapshotsInstalled >= 1, "the lagging follower should have caught up through a Raft snapshot");

            // It keeps working after the snapshot: another commit reaches all three.
            var after = patient.Sign(Helpers.Iot(0, transactions));
            await Helpers.CommitAsync(leader, after);
            await cluster.WaitForSameStateAsync();
            Assert.NotNull(await caughtUp.GetTransactionAsync(after.IdBytes));

            // A restart of the caught-up node resumes from its files (the index on disk, the tail verified) with the
            // same state, and an audit over HTTP (blocks streamed) re-derives it.
            var hash = caughtUp.StateHash;
            await cluster.StopAsync(lagging);
            await cluster.StartAsync(lagging);
            var restarted = cluster[lagging];
            Assert.Equal(hash, restarted.StateHash);
            Assert.NotNull(await restarted.GetTransactionAsync(last.IdBytes));
            Assert.Equal(transactions + 2, (await restarted.GetTransactionsForAsync(key.Id, ChainId.Userchain, 0, 5000)).Count);
            using var client = new LedgerClient(restarted.HttpUrl, cluster.Admin);
            var audit = await LedgerAudit.RunAsync(client);
            Assert.True(audit.Ok, audit.Message);
            Assert.Equal(restarted.BlockCount(ChainId.Userchain), audit.UserchainBlocks);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
