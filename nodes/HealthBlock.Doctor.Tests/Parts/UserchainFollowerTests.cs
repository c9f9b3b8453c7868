using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
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

    /// <summary>Runs a follower until its cursor reaches the ledger's Userchain height, then stops it.</summary>
    private async Task RunUntilCaughtUpAsync(ILedger ledger, NodeCounters? counters = null)
    {
        counters ??= new NodeCounters(_parts.Db);
        using var work = new BackgroundWork(TimeProvider.System, NullLogger.Instance);
        var reader = new UserchainBlockReader(_parts.Doctor, _parts.Keys, _parts.AlertBuilder, NullLogger.Instance);
        var follower = new UserchainFollower(ledger, _parts.Db, reader, counters, _parts.Alerts, work, DoctorParts.FastBackoff, _scheduled.Enqueue, NullLogger.Instance);
        var tip = (await _world.Ledger.GetStatusAsync()).BlockCount(ChainId.Userchain);
        work.Run(follower.RunAsync);
        await Eventually.WaitUntilAsync(() => counters.Cursor == tip && _parts.Db.Userchain.Cursor == tip, "the follower caught up");
        await work.StopAsync();
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
