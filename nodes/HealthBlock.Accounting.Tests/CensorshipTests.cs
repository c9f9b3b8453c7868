using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Devnet;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting.Tests;

/// <summary>
/// Threat A5: a leader censors a party's transactions. The follower that forwarded a transaction watches the blocks it
/// applies for it and alerts, naming the leader, when the leader keeps sealing blocks without it.
/// </summary>
[Trait("Category", "Slow")]
[Collection("ledger")]
public sealed class CensorshipTests
{
    [Fact]
    public async Task A_leader_censoring_a_signer_is_named_by_the_follower_that_forwarded_its_transaction_while_others_keep_committing()
    {
        // A watch of one: while the censored transaction is watched, the others the follower forwards overflow.
        await using var world = await WatchedCluster.StartAsync(new() { Blocks = 3, MaxWatched = 1 });
        var (cluster, leader, victimKey, otherKey, alerts) = (world.Cluster, world.Leader, world.PartyKey, world.OtherKey, world.Alerts);
        var follower = cluster.Running.First(n => n != leader);
        using var measured = new SuspicionMeter(follower.NodeLabel);

        // The attack: the leader accepts the victim's transactions and leaves them out of every block.
        leader.Proposer.CensorFault = tx => tx.Body.Signer == victimKey.Id;
        var censored = new TransactionSigner(victimKey, cluster.Genesis.NetworkId).Sign(Helpers.Iot(0, 0));
        var submitted = await follower.SubmitAsync(censored);
        Assert.True(submitted.Accepted, submitted.Message);

        // Another signer's traffic, through the follower and the leader, keeps committing while the follower counts
        // the leader's blocks: a Warning at the deadline (then the follower forwards it again), Critical at the next.
        var other = new TransactionSigner(otherKey, cluster.Genesis.NetworkId);
        ulong sent = 0;
        while (follower.Censorship.Suspicions < 2 && sent < 40)
        {
            await Helpers.CommitAsync(sent % 2 == 0 ? follower : leader, other.Sign(Helpers.Iot(0, sent)));
            sent++;
        }

        var raised = alerts.Where(a => a.Kind == AlertKind.CensorshipSuspected).ToList();
        Assert.Equal([AlertSeverity.Warning, AlertSeverity.Critical], raised.Select(a => a.Severity));
        Assert.All(raised, a =>
        {
            Assert.Equal(follower.NodeId.ToString(), a.Node);
            Assert.Equal(leader.NodeId.ToString(), a.IdentityId);
            Assert.Equal(leader.NodeId.ToString(), a.Details["leader"]);
            Assert.Equal(censored.IdHex, a.Details["transaction"]);
            Assert.Equal(victimKey.Id.ToString(), a.Details["signer"]);
            Assert.Equal("userchain", a.Details["chain"]);
            Assert.Equal("3", a.Details["blocks"]);
            Assert.Contains(censored.IdHex, a.Message, StringComparison.Ordinal);
        });
        Assert.Equal(2, follower.Censorship.Suspicions);
        Assert.Equal(2, measured.Total);
        Assert.Equal(0, follower.Censorship.Count); // the second strike ends the watch
        Assert.InRange(follower.Censorship.Overflow, 1, (long)(sent + 1) / 2); // others forwarded while it was watched (one may have committed first)
        Assert.All(cluster.Running.Where(n => n != follower), n => Assert.Equal(0, n.Censorship.Suspicions));

        // The watch changed nothing that is committed: the censored transaction is nowhere, the others all are.
        Assert.All(cluster.Running, n => Assert.Null(n.GetTransactionAsync(censored.IdBytes).Result));
        Assert.Equal(1UL, await follower.GetNextNonceAsync(victimKey.Id));
        Assert.Equal(sent + 1, await follower.GetNextNonceAsync(otherKey.Id));
        Assert.Equal(0, (await follower.GetStatusAsync()).RejectedBlocks);
    }

    [Fact]
    public async Task A_client_that_submitted_straight_to_the_censoring_leader_retries_through_a_follower_which_names_the_leader()
    {
        // The time rule this time: the block deadline is out of reach, the patience short.
        await using var world = await WatchedCluster.StartAsync(new() { Blocks = 10_000, Patience = TimeSpan.FromMilliseconds(500), PatienceBlocks = 2 });
        var (cluster, leader, victimKey, otherKey, alerts) = (world.Cluster, world.Leader, world.PartyKey, world.OtherKey, world.Alerts);
        var followers = cluster.Running.Where(n => n != leader).ToArray();
        leader.Proposer.CensorFault = tx => tx.Body.Signer == victimKey.Id;

        // The victim's client knows every node and talks to the leader first: no follower sees its transaction.
        using var client = new LedgerClient([leader.HttpUrl, followers[0].HttpUrl, followers[1].HttpUrl], victimKey);
        var censored = new TransactionSigner(victimKey, cluster.Genesis.NetworkId).Sign(Helpers.Iot(0, 0));
        Assert.True((await client.SubmitAsync(censored)).Accepted);
        var timedOut = await Assert.ThrowsAsync<LedgerRejectedException>(() => client.WaitForCommitAsync(censored.IdBytes, TimeSpan.FromSeconds(1)));
        Assert.Equal(RejectReason.Timeout, timedOut.Reason);

        // The commit wait timed out, so the retry goes to the next node, a follower: it forwards the transaction and
        // watches the leader, which leaves it out again while another signer's traffic commits.
        Assert.True((await client.SubmitAsync(censored)).Accepted);
        var other = new TransactionSigner(otherKey, cluster.Genesis.NetworkId);
        ulong sent = 0;
        while (followers[0].Censorship.Suspicions < 1 && sent < 400)
        {
            await Helpers.CommitAsync(leader, other.Sign(Helpers.Iot(0, sent)));
            sent++;
        }

        var alert = Assert.Single(alerts, a => a.Kind == AlertKind.CensorshipSuspected);
        Assert.Equal(followers[0].NodeId.ToString(), alert.Node);
        Assert.Equal(leader.NodeId.ToString(), alert.IdentityId);
        Assert.Equal(censored.IdHex, alert.Details["transaction"]);
        Assert.Equal(victimKey.Id.ToString(), alert.Details["signer"]);
        Assert.All(cluster.Running, n => Assert.Null(n.GetTransactionAsync(censored.IdBytes).Result));
    }

    [Fact]
    public async Task An_honest_leader_raises_no_censorship_alert_even_when_it_stops_while_a_forwarded_transaction_waits()
    {
        // The most eager deadline (2 blocks), and batches slow enough that the leader still holds the last transaction
        // when it is stopped.
        await using var world = await WatchedCluster.StartAsync(new() { Blocks = 2 }, TimeSpan.FromMilliseconds(400));
        var (cluster, leader, patientKey, otherKey, alerts) = (world.Cluster, world.Leader, world.PartyKey, world.OtherKey, world.Alerts);
        var follower = cluster.Running.First(n => n != leader);
        var patient = new TransactionSigner(patientKey, cluster.Genesis.NetworkId);
        var other = new TransactionSigner(otherKey, cluster.Genesis.NetworkId);

        // Normal traffic: two signers, concurrently, through the follower (watched) and the leader.
        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (ulong b = 0; b < 4; b++)
                {
                    await Helpers.CommitAsync(follower, patient.Sign(Helpers.Iot(0, b)));
                }
            }),
            Task.Run(async () =>
            {
                for (ulong b = 0; b < 4; b++)
                {
                    await Helpers.CommitAsync(b % 2 == 0 ? leader : follower, other.Sign(Helpers.Iot(0, b)));
                }
            }));

        // The leader stops while a forwarded transaction waits in its queue: the follower hands it to the new leader.
        var waiting = patient.Sign(Helpers.Iot(0, 4));
        var submitted = await follower.SubmitAsync(waiting);
        Assert.True(submitted.Accepted, submitted.Message);
        await cluster.StopNodeAsync(cluster.Nodes.ToList().IndexOf(leader));
        var newLeader = await cluster.WaitForLeaderAsync(Helpers.Timeout);
        var location = await follower.WaitForCommitAsync(waiting.IdBytes, Helpers.Timeout);
        Assert.Equal(newLeader.NodeId, (await follower.GetBlockAsync(location.Chain, location.Height))!.Header.Proposer);

        // More traffic under the new leader, through the follower: blocks keep coming, nobody is accused.
        for (ulong b = 5; b < 8; b++)
        {
            await Helpers.CommitAsync(follower, patient.Sign(Helpers.Iot(0, b)));
        }

        Assert.DoesNotContain(alerts, a => a.Kind == AlertKind.CensorshipSuspected);
        Assert.Equal(0, world.Hub.Count(AlertKind.CensorshipSuspected));
        Assert.All(cluster.Running, n => Assert.Equal(0, n.Censorship.Suspicions));
        Assert.True(follower.Censorship.Total >= 6, $"the follower watched {follower.Censorship.Total} of the transactions it forwarded");
        Assert.Equal(9UL, await follower.GetNextNonceAsync(patientKey.Id));
    }

    /// <summary>A 3-node cluster whose alerts are collected, with two parties registered by the admin.</summary>
    private sealed class WatchedCluster : IAsyncDisposable
    {
        private WatchedCluster(LocalCluster cluster, AlertHub hub, ConcurrentQueue<Alert> alerts)
        {
            Cluster = cluster;
            Hub = hub;
            Alerts = alerts;
        }

        public LocalCluster Cluster { get; }

        public AlertHub Hub { get; }

        public ConcurrentQueue<Alert> Alerts { get; }

        public AccountingNode Leader { get; private set; } = null!;

        /// <summary>The party whose transactions the tests follow (the victim, when the leader censors).</summary>
        public IdentityKey PartyKey { get; } = IdentityKey.Generate();

        /// <summary>Another party, whose traffic makes the blocks.</summary>
        public IdentityKey OtherKey { get; } = IdentityKey.Generate();

        public static async Task<WatchedCluster> StartAsync(CensorshipWatchOptions watch, TimeSpan? batchInterval = null)
        {
            var alerts = new ConcurrentQueue<Alert>();
            var hub = new AlertHub([new CallbackAlertSink("test", alerts.Enqueue)]);
            var options = new LocalClusterOptions { Alerts = hub, CensorshipWatch = watch, BatchInterval = batchInterval ?? TimeSpan.FromMilliseconds(10) };
            var world = new WatchedCluster(await LocalCluster.StartAsync(3, options), hub, alerts);
            try
            {
                var leader = world.Leader = await world.Cluster.WaitForLeaderAsync(Helpers.Timeout);
                await Helpers.CommitAsync(leader, await Helpers.AdminRegistersAsync(leader, world.Cluster.Admin, world.PartyKey.Public, "party"));
                await Helpers.CommitAsync(leader, await Helpers.AdminRegistersAsync(leader, world.Cluster.Admin, world.OtherKey.Public, "other"));
                return world;
            }
            catch
            {
                await world.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Cluster.DisposeAsync();
            await Hub.DisposeAsync();
            PartyKey.Dispose();
            OtherKey.Dispose();
        }
    }

    /// <summary>Sums the node's <c>healthblock.accounting.censorship.suspected</c> measurements.</summary>
    private sealed class SuspicionMeter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public SuspicionMeter(string node)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == AccountingMetrics.MeterName && instrument.Name == "healthblock.accounting.censorship.suspected")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "node" && node.Equals(tag.Value))
                    {
                        Interlocked.Add(ref _total, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
