using System.Collections.Concurrent;
using System.Security.Cryptography;
using DotNext.Net.Cluster.Consensus.Raft;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Accounting;

public sealed partial class AccountingNode
{
    private readonly List<Transaction> _pending = [];
    private readonly Dictionary<byte[], Rejection> _dropped = new(ByteArrayComparer.Instance);
    private List<Transaction> _inFlight = [];
    private readonly ConcurrentDictionary<string, LedgerClient> _forwarders = new(StringComparer.Ordinal);
    private LedgerState? _speculative;
    private TaskCompletionSource _pendingSignal = NewSignal();
    private TaskCompletionSource _leaderReady = NewSignal();

    /// <inheritdoc />
    public async Task<SubmitResult> SubmitAsync(Transaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var id = transaction.IdHex;
        if (ChainFault(transaction.Body.Chain) is { } fault)
        {
            return SubmitResult.Reject(id, new(RejectReason.ChainUnavailable, fault));
        }

        var cluster = _cluster ?? throw new InvalidOperationException("The node is not started.");
        for (var attempt = 0; ; attempt++)
        {
            if (IsLeader)
            {
                var ready = _leaderReady.Task;
                if (!ready.IsCompleted)
                {
                    try
                    {
                        await ready.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        return SubmitResult.Reject(id, new(RejectReason.NoLeader, "the leader is not ready yet"));
                    }
                }

                var result = SubmitAsLeader(transaction);
                if (result is not null)
                {
                    return result;
                }
            }
            else if (cluster.Leader is { IsRemote: true } leader)
            {
                var url = await GetLeaderUrlAsync(leader, cancellationToken).ConfigureAwait(false);
                if (url is not null)
                {
                    try
                    {
                        return await _forwarders.GetOrAdd(url, NewForwarder).SubmitAsync(transaction, cancellationToken).ConfigureAwait(false);
                    }
                    catch (HttpRequestException e)
                    {
                        _log.LogDebug(e, "Forwarding to {Leader} failed", url);
                    }
                }
            }

            if (attempt >= 50)
            {
                return SubmitResult.Reject(id, new(RejectReason.NoLeader, "no leader could take the transaction; try again"));
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A client to the leader whose submissions carry this node's signed forwarding mark (<see cref="ForwardedByHeader"/>).</summary>
    private LedgerClient NewForwarder(string url)
    {
        var http = new HttpClient(new ForwardingMark(this) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
        return new LedgerClient(http, ownsClient: true);
    }

    /// <summary>The digest a forwarding mark signs: a domain tag, the forwarding node and the exact request body.</summary>
    private static byte[] ForwardingDigest(IdentityId node, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("healthblock-forwarded-v1\0"u8);
        hash.AppendData(System.Text.Encoding.ASCII.GetBytes(node.ToString()));
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

    /// <summary>Signs each forwarded submission's body with the node key: "NODE-ID BASE64(signature)".</summary>
    private sealed class ForwardingMark(AccountingNode node) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.Content is { } content)
            {
                var body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                var signature = node._nodeKey.Sign(ForwardingDigest(node.NodeId, body));
                request.Headers.TryAddWithoutValidation(ForwardedByHeader, $"{node.NodeId} {Convert.ToBase64String(signature)}");
            }

            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<string?> GetLeaderUrlAsync(RaftClusterMember leader, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await leader.GetMetadataAsync(false, cancellationToken).ConfigureAwait(false);
            return metadata.TryGetValue(HttpMetadataKey, out var url) ? url : null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Validates against the speculative state and queues; null when this node turned out not to lead.</summary>
    private SubmitResult? SubmitAsLeader(Transaction tx)
    {
        var id = tx.IdHex;
        Crypto.PublicIdentity? key;
        lock (_sync)
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

        lock (_sync)
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

    private async Task LeaderLoopAsync(CancellationToken stopping)
    {
        var cluster = _cluster!;
        while (!stopping.IsCancellationRequested)
        {
            CancellationToken leadership;
            try
            {
                leadership = await cluster.WaitForLeadershipAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            using var both = CancellationTokenSource.CreateLinkedTokenSource(leadership, stopping);
            try
            {
                await LeadAsync(both.Token).ConfigureAwait(false);
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
                List<Transaction> orphans;
                lock (_sync)
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

    private async Task LeadAsync(CancellationToken leadership)
    {
        var cluster = _cluster!;

        // Everything committed in earlier terms is applied before the speculative state is built on it.
        await cluster.ApplyReadBarrierAsync(leadership).ConfigureAwait(false);
        lock (_sync)
        {
            _speculative = _committed.Fork();
            _leaderReady.TrySetResult();
        }

        _log.LogInformation("Leading term {Term}", cluster.Term);
        while (!leadership.IsCancellationRequested)
        {
            Task signal;
            lock (_sync)
            {
                signal = _pending.Count > 0 ? Task.CompletedTask : _pendingSignal.Task;
            }

            await signal.WaitAsync(leadership).ConfigureAwait(false);
            bool full;
            lock (_sync)
            {
                full = _pending.Count >= _options.MaxBlockTransactions;
                if (_pendingSignal.Task.IsCompleted)
                {
                    _pendingSignal = NewSignal();
                }
            }

            if (!full && _options.BatchInterval > TimeSpan.Zero)
            {
                Task fill;
                lock (_sync)
                {
                    fill = _pendingSignal.Task;
                }

                await Task.WhenAny(fill, Task.Delay(_options.BatchInterval, leadership)).ConfigureAwait(false);
                leadership.ThrowIfCancellationRequested();
            }

            List<Transaction> cut;
            lock (_sync)
            {
                var n = Math.Min(_pending.Count, _options.MaxBlockTransactions);
                cut = _pending.GetRange(0, n);
                _pending.RemoveRange(0, n);
                _inFlight = cut;
            }

            // Userchain first: a diagnosis accepted after a key or payment transaction depends on it.
            var failed = false;
            foreach (var chain in new[] { ChainId.Userchain, ChainId.Docchain })
            {
                var txs = cut.Where(t => t.Body.Chain == chain).ToList();
                if (txs.Count > 0 && await ProposeAsync(chain, txs, leadership).ConfigureAwait(false) is { } rejection)
                {
                    failed = true;
                    _log.LogError("Own {Chain} block refused: {Rejection}", LedgerText.ChainName(chain), rejection);
                }
            }

            // Rebuild the speculative state over the new committed state and the transactions still waiting.
            lock (_sync)
            {
                var spec = _committed.Fork();
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
                        Fail(tx.IdBytes, r);
                    }
                }

                if (failed)
                {
                    foreach (var tx in cut.Where(t => !_committed.ContainsTransaction(t.Id)))
                    {
                        Fail(tx.IdBytes, new Rejection(RejectReason.BlockInvalidTransaction, "the block holding it was refused; submit it again"));
                    }
                }

                _pending.Clear();
                _pending.AddRange(keep);
                _speculative = spec;
                _inFlight = [];
            }
        }
    }

    /// <summary>Seals, signs and replicates one block; returns null once it is committed and this replica applied it, else why this replica refused it.</summary>
    private async Task<Rejection?> ProposeAsync(ChainId chain, List<Transaction> txs, CancellationToken leadership)
    {
        Block block;
        lock (_sync)
        {
            var tip = _committed.Tip(chain);
            var time = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), _committed.LastBlockTimeMs + 1);
            block = Block.Create(chain, tip.BlockCount, tip.LastHash, time, _nodeKey, txs);
        }

        var outcome = new TaskCompletionSource<Rejection?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_blockOutcomes)
        {
            _blockOutcomes[block.Hash] = outcome;
        }

        try
        {
            await _cluster!.ReplicateAsync(block.Encode(), block, leadership).ConfigureAwait(false);
            return await outcome.Task.WaitAsync(leadership).ConfigureAwait(false);
        }
        finally
        {
            lock (_blockOutcomes)
            {
                _blockOutcomes.Remove(block.Hash);
            }
        }
    }

    /// <summary>
    /// After losing leadership: hands the accepted but uncommitted transactions (in their order, so nonces stay
    /// ascending) to the new leader. One already committed comes back as a duplicate and is done; one the new leader
    /// refuses fails its waiters and is remembered, so a later <see cref="WaitForCommitAsync"/> fails at once.
    /// </summary>
    private async Task ResubmitAsync(List<Transaction> orphans, CancellationToken stopping)
    {
        foreach (var tx in orphans)
        {
            Rejection? rejection;
            try
            {
                var result = await SubmitAsync(tx, stopping).ConfigureAwait(false);
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
                lock (_sync)
                {
                    if (!_committed.ContainsTransaction(tx.Id))
                    {
                        Fail(tx.IdBytes, rejection);
                        if (_dropped.Count >= 100_000)
                        {
                            _dropped.Clear();
                        }

                        _dropped[tx.IdBytes] = rejection;
                    }
                }
            }
        }
    }

    /// <summary>Test hook: replicates raw bytes as a Raft entry, as a faulty leader could (no validation here).</summary>
    internal async Task ReplicateRawAsync(byte[] payload, CancellationToken cancellationToken = default) =>
        await _cluster!.ReplicateAsync(payload, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Fails the waiters of every queued transaction. Call under <see cref="_sync"/>.</summary>
    private void FailPending(Rejection rejection)
    {
        foreach (var tx in _pending)
        {
            Fail(tx.IdBytes, rejection);
        }

        _pending.Clear();
    }

    private void Fail(byte[] id, Rejection rejection)
    {
        if (_waiters.Remove(id, out var list))
        {
            foreach (var w in list)
            {
                w.TrySetException(new LedgerRejectedException(rejection));
            }
        }
    }
}
