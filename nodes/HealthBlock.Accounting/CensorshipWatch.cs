using System.Globalization;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Accounting;

/// <summary>
/// A follower's check that the leader does not censor what it forwards. Each transaction this node forwarded and the
/// leader accepted is watched (at most <see cref="CensorshipWatchOptions.MaxWatched"/>; the rest are counted) until a
/// block this replica applies holds it. Blocks sealed by the same proposer without it are counted; once they reach
/// <see cref="CensorshipWatchOptions.Blocks"/> of its chain (or <see cref="CensorshipWatchOptions.Patience"/> passed
/// while that proposer kept sealing blocks) and the transaction is still valid on the committed state, the node raises
/// <see cref="AlertKind.CensorshipSuspected"/> naming the proposer, the transaction and its signer, counts it, and
/// forwards it once more. If the leader leaves it out again for as long, a second, Critical alert follows and the watch
/// ends. When the leader changes the counts start again against the new leader, and every watched transaction is
/// handed to it (the old leader may have stopped with it in its queue).
/// </summary>
/// <remarks>
/// Only watches and submits through the node: it never changes what is committed. A transaction that is committed, or
/// no longer valid (its nonce taken, its signer's epoch moved on, a refusal from the new leader), is dropped without an
/// alert. Blocks this node sealed itself are not counted: a leader cannot be trusted to report itself.
/// </remarks>
internal sealed class CensorshipWatch
{
    private readonly CensorshipWatchOptions _options;
    private readonly IdentityId _self;
    private readonly string _label;
    private readonly object _replicaSync;
    private readonly Func<LedgerState> _committed;
    private readonly AlertHub _alerts;
    private readonly Func<Transaction, CancellationToken, Task<SubmitResult>> _resubmit;
    private readonly CancellationToken _stopping;
    private readonly ILogger _log;
    private readonly Dictionary<string, Watched> _watched = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private long _sequence;
    private long _total;
    private long _overflow;
    private long _suspicions;

    /// <param name="options">Deadlines and the cap.</param>
    /// <param name="self">This node (names it in alerts; its own blocks are not counted).</param>
    /// <param name="replicaSync">The replica's lock, under which <paramref name="committed"/> is read off the applier thread.</param>
    /// <param name="committed">The committed state.</param>
    /// <param name="alerts">Where suspicions are raised.</param>
    /// <param name="resubmit">Submits through the node (forwards to whoever leads now).</param>
    /// <param name="stopping">Cancelled when the node stops.</param>
    /// <param name="log">The node's log.</param>
    public CensorshipWatch(CensorshipWatchOptions options, IdentityId self, object replicaSync, Func<LedgerState> committed, AlertHub alerts, Func<Transaction, CancellationToken, Task<SubmitResult>> resubmit, CancellationToken stopping, ILogger log)
    {
        _options = options;
        _self = self;
        _label = self.ToString()[..8];
        _replicaSync = replicaSync;
        _committed = committed;
        _alerts = alerts;
        _resubmit = resubmit;
        _stopping = stopping;
        _log = log;
    }

    /// <summary>Transactions watched so far.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Forwarded transactions not watched because the watch was full.</summary>
    public long Overflow => Interlocked.Read(ref _overflow);

    /// <summary>Suspicions raised (each is one alert).</summary>
    public long Suspicions => Interlocked.Read(ref _suspicions);

    /// <summary>Transactions watched now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _watched.Count;
            }
        }
    }

    /// <summary>Watches <paramref name="tx"/> when the leader accepted it from this node; returns <paramref name="result"/>.</summary>
    public SubmitResult Watching(Transaction tx, SubmitResult result)
    {
        if (result.Accepted)
        {
            Watch(tx);
        }

        return result;
    }

    /// <summary>Hands the watched transactions to each new leader of <paramref name="cluster"/>.</summary>
    public void Follow(DotNext.Net.Cluster.Consensus.Raft.RaftCluster cluster) =>
        cluster.LeaderChanged += (_, leader) =>
        {
            if (leader is not null)
            {
                LeaderChanged();
            }
        };

    /// <summary>Starts watching <paramref name="tx"/>, which the leader accepted from this node (again: no change).</summary>
    public void Watch(Transaction tx)
    {
        lock (_replicaSync)
        {
            // Already applied (the block came before the leader's answer): nothing to watch.
            if (_committed().ContainsTransaction(tx.IdBytes))
            {
                return;
            }

            lock (_gate)
            {
                if (_watched.ContainsKey(tx.IdHex))
                {
                    return;
                }

                if (_watched.Count >= _options.MaxWatched)
                {
                    _overflow++;
                    AccountingMetrics.CensorshipUnwatched(_label);
                    return;
                }

                _watched[tx.IdHex] = new Watched(tx, ++_sequence, Environment.TickCount64);
                _total++;
            }
        }
    }

    /// <summary>A block this replica applied (call on the applier thread, after applying it).</summary>
    public void BlockApplied(Block block)
    {
        List<Suspicion> found;
        lock (_gate)
        {
            foreach (var tx in block.Transactions)
            {
                _watched.Remove(tx.IdHex);
            }

            var proposer = block.Header.Proposer;
            if (_watched.Count == 0 || proposer == _self)
            {
                return;
            }

            var now = Environment.TickCount64;
            var due = new HashSet<Watched>();
            foreach (var w in _watched.Values)
            {
                if (w.Leader != proposer)
                {
                    w.Restart(proposer, now);
                }

                w.AnyBlocks++;
                if (w.Tx.Body.Chain == block.Header.Chain)
                {
                    w.Blocks++;
                }

                if (w.Blocks >= _options.Blocks || (now - w.Since >= (long)_options.Patience.TotalMilliseconds && w.AnyBlocks >= _options.PatienceBlocks))
                {
                    due.Add(w);
                }
            }

            if (due.Count == 0)
            {
                return;
            }

            found = Judge(due, now);
        }

        Report(found);
    }

    /// <summary>The leader changed: count afresh against the new leader and hand it every watched transaction.</summary>
    public void LeaderChanged()
    {
        List<Transaction> again;
        lock (_gate)
        {
            var now = Environment.TickCount64;
            foreach (var w in _watched.Values)
            {
                w.Restart(null, now);
            }

            again = [.. _watched.Values.OrderBy(w => w.Sequence).Select(w => w.Tx)];
        }

        Forward(again);
    }

    /// <summary>
    /// Checks the due transactions on the committed state (with the earlier watched ones of their signers applied first,
    /// in the order they were forwarded, so a run of nonces is judged as a run). Call under the gate, on the applier thread.
    /// </summary>
    private List<Suspicion> Judge(HashSet<Watched> due, long now)
    {
        var signers = due.Select(w => w.Tx.Body.Signer).ToHashSet();
        var state = _committed().Fork();
        var found = new List<Suspicion>();
        foreach (var w in _watched.Values.Where(w => signers.Contains(w.Tx.Body.Signer)).OrderBy(w => w.Sequence).ToList())
        {
            var rejection = state.TryApply(w.Tx, new TxLocation(w.Tx.Body.Chain, ulong.MaxValue, 0));
            if (!due.Contains(w))
            {
                continue;
            }

            if (rejection is not null)
            {
                _log.LogDebug("No longer watching {Tx}: {Rejection}", w.Tx.IdHex, rejection);
                _watched.Remove(w.Tx.IdHex);
                continue;
            }

            w.Strikes++;
            found.Add(new Suspicion(w.Tx, w.Leader!.Value, w.Blocks, w.Strikes));
            if (w.Strikes >= 2)
            {
                _watched.Remove(w.Tx.IdHex);
            }
            else
            {
                w.Restart(w.Leader, now);
            }
        }

        return found;
    }

    /// <summary>Counts and alerts each suspicion, and forwards again those on their first strike.</summary>
    private void Report(List<Suspicion> found)
    {
        foreach (var s in found)
        {
            var first = s.Strikes == 1;
            var severity = first ? AlertSeverity.Warning : AlertSeverity.Critical;
            var chain = LedgerText.ChainName(s.Tx.Body.Chain);
            var then = first ? "; forwarding it again" : " after it was forwarded again; no longer watched";
            _log.LogWarning("Leader {Leader} sealed {Blocks} {Chain} blocks without transaction {Tx} of {Signer}{Then}", s.Leader, s.Blocks, chain, s.Tx.IdHex, s.Tx.Body.Signer, then);
            _alerts.Raise(new Alert(AlertKind.CensorshipSuspected, $"Accounting node {_self}: leader {s.Leader} sealed {s.Blocks} {chain} blocks without valid transaction {s.Tx.IdHex} of {s.Tx.Body.Signer}, which it had accepted{then}")
            {
                Severity = severity,
                IdentityId = s.Leader.ToString(),
                Node = _self.ToString(),
                Details = new Dictionary<string, string>
                {
                    ["leader"] = s.Leader.ToString(),
                    ["transaction"] = s.Tx.IdHex,
                    ["signer"] = s.Tx.Body.Signer.ToString(),
                    ["nonce"] = s.Tx.Body.Nonce.ToString(CultureInfo.InvariantCulture),
                    ["chain"] = chain,
                    ["blocks"] = s.Blocks.ToString(CultureInfo.InvariantCulture),
                    ["strike"] = s.Strikes.ToString(CultureInfo.InvariantCulture),
                },
            });

            // Counted after the alert: whoever watches the count sees the alert raised.
            AccountingMetrics.CensorshipSuspected(chain, severity, _label);
            Interlocked.Increment(ref _suspicions);
        }

        Forward([.. found.Where(s => s.Strikes == 1).Select(s => s.Tx)]);
    }

    /// <summary>Submits <paramref name="txs"/> again through the node, in order; one the leader now refuses for good is no longer watched.</summary>
    private void Forward(List<Transaction> txs)
    {
        if (txs.Count == 0 || _stopping.IsCancellationRequested)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            foreach (var tx in txs)
            {
                try
                {
                    var result = await _resubmit(tx, _stopping).ConfigureAwait(false);
                    if (!result.Accepted && result.Reason != RejectReason.DuplicateTransaction && !result.Reason.IsTransient())
                    {
                        Forget(tx, $"{result.Reason}: {result.Message}");
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
                {
                    _log.LogDebug(e, "Forwarding watched transactions again stopped");
                    return;
                }
            }
        }, CancellationToken.None);
    }

    private void Forget(Transaction tx, string why)
    {
        lock (_gate)
        {
            if (_watched.Remove(tx.IdHex))
            {
                _log.LogDebug("No longer watching {Tx}: the leader refused it again ({Why})", tx.IdHex, why);
            }
        }
    }

    /// <summary>One watched transaction and the blocks its current leader sealed without it.</summary>
    private sealed class Watched(Transaction tx, long sequence, long since)
    {
        public Transaction Tx { get; } = tx;

        public long Sequence { get; } = sequence;

        public IdentityId? Leader { get; private set; }

        public long Since { get; private set; } = since;

        public int Blocks { get; set; }

        public int AnyBlocks { get; set; }

        public int Strikes { get; set; }

        /// <summary>Counts afresh against <paramref name="leader"/> from <paramref name="now"/>.</summary>
        public void Restart(IdentityId? leader, long now)
        {
            Leader = leader;
            Since = now;
            Blocks = 0;
            AnyBlocks = 0;
        }
    }

    private sealed record Suspicion(Transaction Tx, IdentityId Leader, int Blocks, int Strikes);
}
