using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger.Tests;

public sealed class CommitWaitersTests
{
    [Fact]
    public async Task A_waiter_is_answered_at_once_when_committed_and_else_when_its_block_commits()
    {
        using var w = new World();
        var sync = new object();
        var waiters = new CommitWaiters(sync, () => w.State);
        var first = w.Keep(IdentityKey.Generate());
        var committed = w.AdminSigner.Sign(RegisterPayload.For(first.Public, Role.Patient, "first"));
        var committedBlock = w.Commit(committed);

        var atOnce = waiters.WaitAsync(committed.IdBytes, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.True(atOnce.IsCompleted);
        Assert.Equal(new TxLocation(ChainId.Userchain, committedBlock.Header.Height, 0), await atOnce);

        var key = w.Keep(IdentityKey.Generate());
        var tx = w.AdminSigner.Sign(RegisterPayload.For(key.Public, Role.Patient, "later"));
        var block = w.Seal(w.State, [tx]);
        var wait = waiters.WaitAsync(tx.IdBytes, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.False(wait.IsCompleted);
        lock (sync)
        {
            Assert.Null(w.State.TryApplyBlock(block));
            waiters.Committed(block);
        }

        Assert.Equal(new TxLocation(ChainId.Userchain, block.Header.Height, 0), await wait);
    }

    [Fact]
    public async Task A_waiter_times_out_with_a_timeout_rejection()
    {
        using var w = new World();
        var waiters = new CommitWaiters(new object(), () => w.State);

        var e = await Assert.ThrowsAsync<LedgerRejectedException>(() => waiters.WaitAsync(new byte[32], TimeSpan.FromMilliseconds(10), CancellationToken.None));
        Assert.Equal(RejectReason.Timeout, e.Reason);
    }

    [Fact]
    public async Task Failed_and_dropped_transactions_fail_their_waiters_and_only_a_dropped_one_fails_later_waits_at_once()
    {
        using var w = new World();
        var sync = new object();
        var waiters = new CommitWaiters(sync, () => w.State);
        var failed = Id(1);
        var dropped = Id(2);
        var other = Id(3);

        var wait = waiters.WaitAsync(failed, TimeSpan.FromSeconds(30), CancellationToken.None);
        var otherWait = waiters.WaitAsync(other, TimeSpan.FromSeconds(30), CancellationToken.None);
        lock (sync)
        {
            waiters.Fail(failed, new Rejection(RejectReason.BlockInvalidTransaction, "refused"));
            waiters.Drop(dropped, new Rejection(RejectReason.LeadershipLost, "gone"));
        }

        Assert.Equal(RejectReason.BlockInvalidTransaction, (await Assert.ThrowsAsync<LedgerRejectedException>(() => wait)).Reason);
        var late = waiters.WaitAsync(dropped, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.True(late.IsCompleted);
        Assert.Equal(RejectReason.LeadershipLost, (await Assert.ThrowsAsync<LedgerRejectedException>(() => late)).Reason);

        // A failed (not dropped) transaction may still commit later: a new wait waits. FailAll ends every wait.
        var again = waiters.WaitAsync(failed, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.False(again.IsCompleted);
        Assert.False(otherWait.IsCompleted);
        lock (sync)
        {
            waiters.FailAll(new Rejection(RejectReason.LeadershipLost, "shut down"));
        }

        Assert.Equal(RejectReason.LeadershipLost, (await Assert.ThrowsAsync<LedgerRejectedException>(() => again)).Reason);
        Assert.Equal(RejectReason.LeadershipLost, (await Assert.ThrowsAsync<LedgerRejectedException>(() => otherWait)).Reason);
    }

    private static byte[] Id(byte first)
    {
        var id = new byte[32];
        id[0] = first;
        return id;
    }
}
