using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting.Tests;

public sealed class CommitWaitersTests
{
    [Fact]
    public async Task A_waiter_completes_with_the_location_once_its_block_commits()
    {
        using var f = new NodePartsFixture();
        var sync = new object();
        var waiters = new CommitWaiters(sync, () => f.State);
        var first = f.CommitRegistration();
        var tx = first.Transactions[0];

        // Already committed: answered at once.
        Assert.Equal(new TxLocation(ChainId.Userchain, 0, 0), await waiters.WaitAsync(tx.IdBytes, TimeSpan.FromSeconds(5), CancellationToken.None));

        // Not yet committed: answered when the block is.
        var second = f.CommitRegistration();
        var state = LedgerState.FromGenesis(f.Genesis);
        Assert.Null(state.TryApplyBlock(first));
        var pending = new CommitWaiters(sync, () => state);
        var wait = pending.WaitAsync(second.Transactions[0].IdBytes, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.False(wait.IsCompleted);
        lock (sync)
        {
            Assert.Null(state.TryApplyBlock(second));
            pending.Committed(second);
        }

        Assert.Equal(new TxLocation(ChainId.Userchain, 1, 0), await wait);
    }

    [Fact]
    public async Task A_waiter_times_out_with_a_timeout_rejection()
    {
        using var f = new NodePartsFixture();
        var waiters = new CommitWaiters(new object(), () => f.State);

        var e = await Assert.ThrowsAsync<LedgerRejectedException>(() => waiters.WaitAsync(new byte[32], TimeSpan.FromMilliseconds(10), CancellationToken.None));
        Assert.Equal(RejectReason.Timeout, e.Reason);
    }

    [Fact]
    public async Task A_failed_transaction_fails_its_waiters_and_a_dropped_one_fails_later_waits_at_once()
    {
        using var f = new NodePartsFixture();
        var sync = new object();
        var waiters = new CommitWaiters(sync, () => f.State);
        var failed = new byte[32];
        failed[0] = 1;
        var dropped = new byte[32];
        dropped[0] = 2;

        var wait = waiters.WaitAsync(failed, TimeSpan.FromSeconds(30), CancellationToken.None);
        lock (sync)
        {
            waiters.Fail(failed, new Rejection(RejectReason.BlockInvalidTransaction, "refused"));
            waiters.Drop(dropped, new Rejection(RejectReason.LeadershipLost, "gone"));
        }

        Assert.Equal(RejectReason.BlockInvalidTransaction, (await Assert.ThrowsAsync<LedgerRejectedException>(() => wait)).Reason);
        var late = waiters.WaitAsync(dropped, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.True(late.IsCompleted);
        Assert.Equal(RejectReason.LeadershipLost, (await Assert.ThrowsAsync<LedgerRejectedException>(() => late)).Reason);

        // A failed (not dropped) transaction may still commit later: a new wait waits.
        Assert.False(waiters.WaitAsync(failed, TimeSpan.FromSeconds(30), CancellationToken.None).IsCompleted);
    }
}
