using DotNext.Net.Cluster.Consensus.Raft;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Accounting;

/// <summary>
/// The leader's part: checks each submission against the speculative state (the committed state plus the accepted, not
/// yet committed transactions) and queues it; while this node leads, seals a Userchain then a Docchain block from a
/// prefix of the queue every <see cref="AccountingOptions.BatchInterval"/> (or at
/// <see cref="AccountingOptions.MaxBlockTransactions"/>), signs it and replicates one block at a time. On losing
/// leadership it hands the accepted but uncommitted transactions to the new leader.
/// </summary>
/// <remarks>Takes the replica's lock (<see cref="ReplicaStateMachine.Sync"/>) for its queue and speculative state.</remarks>
internal sealed class BlockProposer
{
    private readonly AccountingOptions _options;
    private readonly ReplicaStateMachine _replica;
    private readonly IdentityKey _nodeKey;
    private readonly ILogger _log;
    private readonly Func<Transaction, CancellationToken, Task<SubmitResult>> _resubmit;
    private readonly List<Transaction> _pending = [];
    private List<Transaction> _inFlight = [];
    private LedgerState? _speculative;
    private TaskCompletionSource _pendingSignal = NewSignal();
    private TaskCompletionSource _leaderReady = NewSignal();

    /// <param name="options">Batching and queue limits.</param>
    /// <param name="replica">The replica whose committed state blocks are built on.</param>
    /// <param name="nodeKey">Signs the blocks.</param>
    /// <param name="log">The node's log.</param>
    /// <param name="resubmit">Submits a transaction through the node (to the new leader) after leadership is lost.</param>
    public BlockProposer(AccountingOptions options, ReplicaStateMachine replica, IdentityKey nodeKey, ILogger log, Func<Transaction, CancellationToken, Task<SubmitResult>> resubmit)
    {
        _options = options;
        _replica = replica;
        _nodeKey = nodeKey;
        _log = log;
        _resubmit = resubmit;
    }

    /// <summary>
    /// Fault hook for tests only, never set by the node: while this node leads, transactions it matches are accepted and
    /// validated like any other, then left out of every block and dropped from the queue, as a leader censoring their
    /// signer would (their submitters hear nothing more). Null (always, outside tests): honest.
    /// </summary>
    internal Predicate<Transaction>? CensorFault { get; set; }

    /// <summary>Completes once this leader has applied all earlier terms and takes submissions.</summary>
    public Task Ready
    {
        get
        {
            lock (_replica.Sync)
            {
                return _leaderReady.Task;
            }
        }
    }

    private object Sync => _replica.Sync;

    /// <summary>Validates against the speculative state and queues; null when this node turned out not to lead.</summary>
    public SubmitResult? Submit(Transaction tx)
    {
        var id = tx.IdHex;
        PublicIdentity? key;
        lock (Sync)
        {
            if (_speculative is not { } spec)
            {
                return null;
            }

            key = spec.GetIdentity(tx.Body.Signer)?.Keys;
        }

        // The expensive part, outside the lock: requests verify in parallel.
        if (key is not null && !SignatureVerifier.Verify(key, tx))
        {
            return SubmitResult.Reject(id, new(RejectReason.BadSignature, $"the signature of {id} does not verify under {tx.Body.Signer}'s key"));
        }

        lock (Sync)
        {
            if (_speculative is not { } spec)
            {
                return null;
            }

            if (_pending.Count >= _options.MaxPendingTransactions)
            {
                return SubmitResult.Reject(id, new(RejectReason.Overloaded, $"{_pending.Count} transactions are waiting for a block"));
            }

            var rejection = spec.TryApply(tx, new TxLocation(tx.Body.Chain, ulong.MaxValue, 0), verifySignature: key is null);
            if (rejection is not null)
            {
                return SubmitResult.Reject(id, rejection);
            }

            _pending.Add(tx);
            if (_pending.Count == 1 || _pending.Count >= _options.MaxBlockTransactions)
            {
                _pendingSignal.TrySetResult();
            }
        }

        return SubmitResult.Accept(id);
    }

    /// <summary>Leads whenever this node is elected, until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(RaftCluster cluster, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            CancellationToken leadership;
            try
            {
                leadership = await cluster.WaitForLeadershipAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            using var both = CancellationTokenSource.CreateLinkedTokenSource(leadership, stopping);
            try
            {
                await LeadAsync(cluster, both.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or NotLeaderException or ObjectDisposedException)
            {
                _log.LogInformation("Leadership ended: {Message}", e.Message);
            }
            catch (Exception e)
            {
                _log.LogError(e, "Leader loop failed");
            }
            finally
            {
                StepDown(stopping);
            }

            // Leadership lost but the token may lag: wait until it is cancelled, or stop.
            if (!leadership.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, both.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    /// <summary>Fails the waiters of every queued transaction and empties the queue. Call under the replica's lock.</summary>
    public void FailPending(Rejection rejection)
    {
        foreach (var tx in _pending)
        {
            _replica.Waiters.Fail(tx.IdBytes, rejection);
        }

        _pending.Clear();
    }

    private async Task LeadAsync(RaftCluster cluster, CancellationToken leadership)
    {
        // Everything committed in earlier terms is applied before the speculative state is built on it.
        await cluster.ApplyReadBarrierAsync(leadership).ConfigureAwait(false);
        lock (Sync)
        {
            _speculative = _replica.Committed.Fork();
            _leaderReady.TrySetResult();
        }

        _log.LogInformation("Leading term {Term}", cluster.Term);
        while (!leadership.IsCancellationRequested)
        {
            await WaitForBatchAsync(leadership).ConfigureAwait(false);
            List<Transaction> cut;
            lock (Sync)
            {
                var n = Math.Min(_pending.Count, _options.MaxBlockTransactions);
                cut = _pending.GetRange(0, n);
                _pending.RemoveRange(0, n);
                if (CensorFault is { } censor)
                {
                    cut.RemoveAll(censor);
                }

                _inFlight = cut;
            }

            // Userchain first: a diagnosis accepted after a key or payment transaction depends on it.
            var failed = false;
            foreach (var chain in new[] { ChainId.Userchain, ChainId.Docchain })
            {
                var txs = cut.Where(t => t.Body.Chain == chain).ToList();
                if (txs.Count > 0 && await ProposeAsync(cluster, chain, txs, leadership).ConfigureAwait(false) is { } rejection)
                {
                    failed = true;
                    _log.LogError("Own {Chain} block refused: {Rejection}", LedgerText.ChainName(chain), rejection);
                }
            }

            RebuildSpeculativeState(cut, failed);
        }
    }

    /// <summary>Waits for a first queued transaction, then up to the batch interval for more (unless the queue is full).</summary>
    private async Task WaitForBatchAsync(CancellationToken leadership)
    {
        Task signal;
        lock (Sync)
        {
            signal = _pending.Count > 0 ? Task.CompletedTask : _pendingSignal.Task;
        }

        await signal.WaitAsync(leadership).ConfigureAwait(false);
        bool full;
        Task fill;
        lock (Sync)
        {
            full = _pending.Count >= _options.MaxBlockTransactions;
            if (_pendingSignal.Task.IsCompleted)
            {
                _pendingSignal = NewSignal();
            }

            fill = _pendingSignal.Task;
        }

        if (!full && _options.BatchInterval > TimeSpan.Zero)
        {
            await Task.WhenAny(fill, Task.Delay(_options.BatchInterval, leadership)).ConfigureAwait(false);
            leadership.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Rebuilds the speculative state over the new committed state and the transactions still waiting.</summary>
    private void RebuildSpeculativeState(List<Transaction> cut, bool failed)
    {
        lock (Sync)
        {
            var committed = _replica.Committed;
            var spec = committed.Fork();
            var keep = new List<Transaction>(_pending.Count);
            foreach (var tx in _pending)
            {
                var r = spec.TryApply(tx, new TxLocation(tx.Body.Chain, ulong.MaxValue, 0), verifySignature: false);
                if (r is null)
                {
                    keep.Add(tx);
                }
                else
                {
                    _replica.Waiters.Fail(tx.IdBytes, r);
                }
            }

            if (failed)
            {
                foreach (var tx in cut.Where(t => !committed.ContainsTransaction(t.Id)))
                {
                    _replica.Waiters.Fail(tx.IdBytes, new Rejection(RejectReason.BlockInvalidTransaction, "the block holding it was refused; submit it again"));
                }
            }

            _pending.Clear();
            _pending.AddRange(keep);
            _speculative = spec;
            _inFlight = [];
        }
    }

    /// <summary>Seals, signs and replicates one block; returns null once it is committed and this replica applied it, else why this replica refused it.</summary>
    private async Task<Rejection?> ProposeAsync(RaftCluster cluster, ChainId chain, List<Transaction> txs, CancellationToken leadership)
    {
        Block block;
        lock (Sync)
        {
            var committed = _replica.Committed;
            var tip = committed.Tip(chain);
            var time = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), committed.LastBlockTimeMs + 1);
            block = Block.Create(committed.Genesis.NetworkId, chain, tip.BlockCount, tip.LastHash, time, _nodeKey, txs);
        }

        var outcome = _replica.ExpectOutcome(block.Hash);
        try
        {
            await cluster.ReplicateAsync(block.Encode(), block, leadership).ConfigureAwait(false);
            return await outcome.WaitAsync(leadership).ConfigureAwait(false);
        }
        finally
        {
            _replica.ForgetOutcome(block.Hash);
        }
    }

    /// <summary>Drops the speculative state and hands the queued and in-flight transactions to the next leader.</summary>
    private void StepDown(CancellationToken stopping)
    {
        List<Transaction> orphans;
        lock (Sync)
        {
            _speculative = null;
            orphans = [.. _inFlight, .. _pending];
            _inFlight = [];
            _pending.Clear();
            if (_leaderReady.Task.IsCompleted)
            {
                _leaderReady = NewSignal();
            }
        }

        if (orphans.Count > 0 && !stopping.IsCancellationRequested)
        {
            _ = Task.Run(() => ResubmitAsync(orphans, stopping), CancellationToken.None);
        }
    }

    /// <summary>
    /// After losing leadership: hands the accepted but uncommitted transactions (in their order, so nonces stay
    /// ascending) to the new leader. One already committed comes back as a duplicate and is done; one the new leader
    /// refuses fails its waiters and is remembered, so a later wait for its commit fails at once.
    /// </summary>
    private async Task ResubmitAsync(List<Transaction> orphans, CancellationToken stopping)
    {
        foreach (var tx in orphans)
        {
            Rejection? rejection;
            try
            {
                var result = await _resubmit(tx, stopping).ConfigureAwait(false);
                rejection = result.Accepted || result.Reason == RejectReason.DuplicateTransaction
                    ? null
                    : new Rejection(RejectReason.LeadershipLost, $"leadership changed before the transaction was committed and the new leader refused it ({result.Reason}: {result.Message}); submit it again");
            }
            catch (OperationCanceledException)
            {
                rejection = new Rejection(RejectReason.LeadershipLost, "the node stopped before the transaction was committed; submit it again");
            }

            if (rejection is not null)
            {
                lock (Sync)
                {
                    if (!_replica.Committed.ContainsTransaction(tx.Id))
                    {
                        _replica.Waiters.Drop(tx.IdBytes, rejection);
                    }
                }
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
