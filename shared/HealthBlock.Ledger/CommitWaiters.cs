using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// Callers waiting for transactions to commit, and the transactions the node gave up on (so a later wait fails at
/// once instead of timing out). Shares its owner's lock: every member but <see cref="WaitAsync"/> is called under it.
/// </summary>
/// <param name="sync">The owner's lock over the committed state.</param>
/// <param name="committed">The committed state (read under <paramref name="sync"/>).</param>
/// <param name="time">The clock timeouts run on (the system clock when null).</param>
internal sealed class CommitWaiters(object sync, Func<LedgerState> committed, TimeProvider? time = null)
{
    /// <summary>How many given-up transactions are remembered before the memory is cleared.</summary>
    public const int MaxDropped = 100_000;

    private readonly Dictionary<byte[], List<TaskCompletionSource<TxLocation>>> _waiters = new(ByteArrayComparer.Instance);
    private readonly Dictionary<byte[], Rejection> _dropped = new(ByteArrayComparer.Instance);

    /// <summary>Where the transaction is once committed.</summary>
    /// <exception cref="LedgerRejectedException"><see cref="RejectReason.Timeout"/>, or why the node gave up on it.</exception>
    public async Task<TxLocation> WaitAsync(byte[] id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<TxLocation>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (sync)
        {
            if (committed().FindTransaction(id) is { } location)
            {
                return location;
            }

            if (_dropped.TryGetValue(id, out var dropped))
            {
                throw new LedgerRejectedException(dropped);
            }

            if (!_waiters.TryGetValue(id, out var list))
            {
                _waiters[id] = list = [];
            }

            list.Add(waiter);
        }

        try
        {
            return await waiter.Task.WaitAsync(timeout, time ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new LedgerRejectedException(RejectReason.Timeout, $"transaction {Convert.ToHexStringLower(id)} was not committed within {timeout.TotalMilliseconds:0} ms");
        }
        finally
        {
            lock (sync)
            {
                if (_waiters.TryGetValue(id, out var list) && list.Remove(waiter) && list.Count == 0)
                {
                    _waiters.Remove(id);
                }
            }
        }
    }

    /// <summary>Completes the waiters of every transaction of a block just committed. Call under the lock.</summary>
    public void Committed(Block block)
    {
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            if (_waiters.Remove(block.Transactions[i].IdBytes, out var list))
            {
                var location = new TxLocation(block.Header.Chain, block.Header.Height, i);
                foreach (var w in list)
                {
                    w.TrySetResult(location);
                }
            }
        }
    }

    /// <summary>Fails the waiters of a transaction. Call under the lock.</summary>
    public void Fail(byte[] id, Rejection rejection)
    {
        if (_waiters.Remove(id, out var list))
        {
            foreach (var w in list)
            {
                w.TrySetException(new LedgerRejectedException(rejection));
            }
        }
    }

    /// <summary>Fails every waiter (the owner shuts down). Call under the lock.</summary>
    public void FailAll(Rejection rejection)
    {
        foreach (var w in _waiters.Values.SelectMany(l => l))
        {
            w.TrySetException(new LedgerRejectedException(rejection));
        }

        _waiters.Clear();
    }

    /// <summary>Fails the waiters of a transaction the node gave up on and remembers why, for later waits. Call under the lock.</summary>
    public void Drop(byte[] id, Rejection rejection)
    {
        Fail(id, rejection);
        if (_dropped.Count >= MaxDropped)
        {
            _dropped.Clear();
        }

        _dropped[id] = rejection;
    }
}
