using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Following;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Doctor.Tests;

/// <summary>Following Userchain from the persisted cursor (<see cref="UserchainFollower"/>) on the in-memory ledger.</summary>
public sealed class UserchainFollowerTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<IdentityId> _scheduled = new();
    private DoctorWorld _world = null!;
    private DoctorParts _parts = null!;

    public async Task InitializeAsync()
    {
        _world = await DoctorWorld.StartAsync();
        _parts = new DoctorParts(await _world.RegisterDoctorAsync("Dr. Follow"));
    }

    public async Task DisposeAsync()
    {
        _parts.Dispose();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task A_restart_resumes_at_the_cursor_missing_nothing_and_recording_nothing_twice()
    {
        var patient = await _world.AddScriptedPatientAsync();
        await patient.GrantAsync(_parts.Doctor);
        await patient.PublishAsync(Signals.NowMs(), 3700);
        await patient.PublishAsync(Signals.NowMs(), 3710);

        await RunUntilCaughtUpAsync(_world.Ledger);
        Assert.Equal([2, 0, 0, 0, 0, 0], _parts.Db.Iot.CountStates());
        Assert.Contains(patient.Id, _scheduled);

        await patient.PublishAsync(Signals.NowMs(), 3720);
        await patient.PayAsync(_parts.Doctor.Id, 30);
        await RunUntilCaughtUpAsync(_world.Ledger);

        Assert.Equal([3, 0, 0, 0, 0, 0], _parts.Db.Iot.CountStates());
        Assert.Equal((UInt128)30, _parts.Db.Credit.Get(patient.Id).Paid);
        Assert.True(_parts.Db.Patients.Get(patient.Id)!.Served);
    }

    [Fact]
    public async Task A_feed_that_fails_midway_is_followed_again_from_the_cursor_and_the_failure_counted()
    {
        var patient = await _world.AddScriptedPatientAsync();
        await patient.GrantAsync(_parts.Doctor);
        for (var i = 0; i < 3; i++)
        {
            await patient.PublishAsync(Signals.NowMs(), 3700);
        }

        var counters = new NodeCounters(_parts.Db);
        await RunUntilCaughtUpAsync(new FailingFeed(_world.Ledger, failAfter: 2), counters);

        Assert.Equal([3, 0, 0, 0, 0, 0], _parts.Db.Iot.CountStates());
        Assert.Equal(1, counters.Snapshot().TransientFailures);
        Assert.Equal(3, counters.Snapshot().InProgress);
    }

    [Fact]
    public async Task A_block_that_does_not_link_to_the_last_one_handled_is_refused_and_alerted_once_even_after_a_restart()
    {
        var patient = await _world.AddScriptedPatientAsync();
        await patient.GrantAsync(_parts.Doctor);
        await patient.PublishAsync(Signals.NowMs(), 3700);
        await RunUntilCaughtUpAsync(_world.Ledger);
        var tip = _parts.Db.Userchain.Cursor;
        var head = _parts.Db.Userchain.Head;
        Assert.NotNull(head);
        Assert.Equal(tip - 1, head.Value.Height);
        Assert.Equal((await _world.Ledger.GetBlockAsync(ChainId.Userchain, tip - 1))!.Hash, head.Value.Hash);

        // Another history from the tip on: its first block links to a block this doctor never handled.
        using var forger = IdentityKey.Generate();
        var fork = Block.Create(_world.Genesis.NetworkId, ChainId.Userchain, tip, new byte[32], Signals.NowMs(), forger, []);
        var counters = new NodeCounters(_parts.Db);
        for (var run = 0; run < 2; run++)
        {
            using var work = new BackgroundWork(TimeProvider.System, NullLogger.Instance);
            var reader = new UserchainBlockReader(_parts.Doctor, _parts.Keys, _parts.AlertBuilder, NullLogger.Instance);
            var follower = new UserchainFollower(new ForkedFeed(_world.Ledger, fork), _parts.Db, reader, counters, _parts.Alerts, _parts.AlertBuilder, work, DoctorParts.FastBackoff, _scheduled.Enqueue, NullLogger.Instance);
            var failures = counters.Snapshot().TransientFailures;
            work.Run(follower.RunAsync);
            await Eventually.WaitUntilAsync(() => counters.Snapshot().TransientFailures >= failures + 3, "the follower refusing the forked block again and again");
            await work.StopAsync();
            Assert.Equal(tip, _parts.Db.Userchain.Cursor);
        }

        // One alert per follower run (a restart remembers the head, not that it alerted), naming the block's proposer.
        var rewrites = _parts.Raised.Where(a => a.Kind == AlertKind.HistoryRewritten).ToList();
        Assert.Equal(2, rewrites.Count);
        Assert.All(rewrites, a => Assert.Equal(forger.Id.ToString(), a.IdentityId));
        Assert.All(rewrites, a => Assert.Equal(AlertSeverity.Critical, a.Severity));
        Assert.Contains($"Userchain block {tip}, proposed by {forger.Id}", rewrites[0].Message, StringComparison.Ordinal);

        // The real history goes on from the same head: followed as before.
        await patient.PublishAsync(Signals.NowMs(), 3710);
        await RunUntilCaughtUpAsync(_world.Ledger);
        Assert.Equal([2, 0, 0, 0, 0, 0], _parts.Db.Iot.CountStates());
    }

    /// <summary>Runs a follower until its cursor reaches the ledger's Userchain height, then stops it.</summary>
    private async Task RunUntilCaughtUpAsync(ILedger ledger, NodeCounters? counters = null)
    {
        counters ??= new NodeCounters(_parts.Db);
        using var work = new BackgroundWork(TimeProvider.System, NullLogger.Instance);
        var reader = new UserchainBlockReader(_parts.Doctor, _parts.Keys, _parts.AlertBuilder, NullLogger.Instance);
        var follower = new UserchainFollower(ledger, _parts.Db, reader, counters, _parts.Alerts, _parts.AlertBuilder, work, DoctorParts.FastBackoff, _scheduled.Enqueue, NullLogger.Instance);
        var tip = (await _world.Ledger.GetStatusAsync()).BlockCount(ChainId.Userchain);
        work.Run(follower.RunAsync);
        await Eventually.WaitUntilAsync(() => counters.Cursor == tip && _parts.Db.Userchain.Cursor == tip, "the follower caught up");
        await work.StopAsync();
    }

    /// <summary>A feed that serves <paramref name="fork"/> at its height instead of the ledger's block (another history).</summary>
    private sealed class ForkedFeed(ILedger inner, Block fork) : LedgerProxy(inner)
    {
        public override async IAsyncEnumerable<Block> SubscribeAsync(ChainId chain, ulong fromHeight, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (fromHeight == fork.Header.Height)
            {
                yield return fork;
            }

            await foreach (var block in Inner.SubscribeAsync(chain, fromHeight, cancellationToken))
            {
                yield return block.Header.Height == fork.Header.Height ? fork : block;
            }
        }
    }

    /// <summary>A feed whose first subscription fails after <paramref name="failAfter"/> blocks.</summary>
    private sealed class FailingFeed(ILedger inner, int failAfter) : LedgerProxy(inner)
    {
        private int _subscriptions;

        public override IAsyncEnumerable<Block> SubscribeAsync(ChainId chain, ulong fromHeight, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _subscriptions) == 1 ? FailingAsync(chain, fromHeight, cancellationToken) : base.SubscribeAsync(chain, fromHeight, cancellationToken);

        private async IAsyncEnumerable<Block> FailingAsync(ChainId chain, ulong fromHeight, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var yielded = 0;
            await foreach (var block in Inner.SubscribeAsync(chain, fromHeight, cancellationToken))
            {
                if (yielded++ == failAfter)
                {
                    throw new IOException("the connection dropped");
                }

                yield return block;
            }
        }
    }
}
