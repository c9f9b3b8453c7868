using System.Buffers;
using System.Globalization;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Accounting;

/// <summary>
/// The replica: the Raft state machine that re-validates each committed block completely and applies it to the
/// committed state, appends it to its chain's file, wakes the commit waiters and the chain subscribers, and writes a
/// state snapshot every <see cref="AccountingOptions.SnapshotEveryBlocks"/> blocks. A block it refuses is logged at
/// error level, alerted (naming the proposer only when its signature verifies) and counted. Each state snapshot is
/// offered to Raft as a <see cref="RaftSnapshot"/> (dotNext's snapshot support), so the write-ahead log drops the
/// entries it covers; a follower sent one installs it by fetching the blocks it lacks (<see cref="CatchUp"/>) and
/// applying them with every rule, then checking the snapshot's tips and state hash.
/// </summary>
/// <remarks>
/// Owns the committed state and the lock (<see cref="Sync"/>) that every part of the node takes to read it. Only the
/// Raft applier thread writes it.
/// </remarks>
internal sealed class ReplicaStateMachine : IStateMachine
{
    private readonly ChainStorage _storage;
    private readonly int _snapshotEveryBlocks;
    private readonly AlertHub _alerts;
    private readonly ILogger _log;
    private readonly IdentityId _node;
    private readonly Dictionary<byte[], TaskCompletionSource<Rejection?>> _blockOutcomes = new(ByteArrayComparer.Instance);
    private TaskCompletionSource _blockSignal = NewSignal();
    private long _appliedIndex;
    private long _appliedTerm;
    private RaftSnapshot? _raftSnapshot;
    private int _blocksSinceSnapshot;
    private long _rejectedBlocks;
    private long _snapshotsInstalled;
    private string? _lastRejection;

    public ReplicaStateMachine(StoredSnapshot loaded, ChainStorage storage, int snapshotEveryBlocks, AlertHub alerts, ILogger log, IdentityId node)
    {
        Committed = loaded.State;
        _appliedIndex = loaded.AppliedIndex;
        _appliedTerm = loaded.AppliedTerm;
        _raftSnapshot = loaded.AppliedTerm > 0 && loaded.AppliedIndex > 0 ? RaftSnapshot.Of(loaded.State, loaded.AppliedIndex, loaded.AppliedTerm) : null;
        _storage = storage;
        _snapshotEveryBlocks = snapshotEveryBlocks;
        _alerts = alerts;
        _log = log;
        _node = node;
        Waiters = new CommitWaiters(Sync, () => Committed);
    }

    /// <summary>The lock over the committed state (and, by the node's parts, over what they derive from it).</summary>
    public object Sync { get; } = new();

    /// <summary>The committed state: read under <see cref="Sync"/> (or on the applier thread).</summary>
    public LedgerState Committed { get; }

    /// <summary>The callers waiting for commits.</summary>
    public CommitWaiters Waiters { get; }

    /// <summary>The last Raft index applied.</summary>
    public long AppliedIndex => Volatile.Read(ref _appliedIndex);

    /// <summary>Committed blocks this replica refused.</summary>
    public long RejectedBlocks => Interlocked.Read(ref _rejectedBlocks);

    /// <summary>Raft snapshots this replica installed (caught up from a peer's blocks).</summary>
    public long SnapshotsInstalled => Interlocked.Read(ref _snapshotsInstalled);

    /// <summary>The latest refusal, or null.</summary>
    public string? LastRejection => Volatile.Read(ref _lastRejection);

    /// <summary>Completes when the next block is applied (take it before reading what is there).</summary>
    public Task NextBlock => Volatile.Read(ref _blockSignal).Task;

    /// <summary>The latest state snapshot written, as Raft sees it (null before the first one).</summary>
    public ISnapshot? Snapshot => Volatile.Read(ref _raftSnapshot);

    /// <summary>
    /// Where a follower installing a Raft snapshot reads the committed blocks it lacks: a chain's blocks from a height
    /// up to (not including) another, from a peer that has them (set by the node once the cluster exists).
    /// </summary>
    public Func<ChainId, ulong, ulong, CancellationToken, IAsyncEnumerable<Block>>? CatchUp { get; set; }

    /// <summary>Called on the applier thread after each block this replica applied, outside <see cref="Sync"/> (the censorship watch).</summary>
    public Action<Block>? Applied { get; set; }

    /// <summary>How this replica judged the block with hash <paramref name="blockHash"/> once it is committed: null when applied.</summary>
    public Task<Rejection?> ExpectOutcome(byte[] blockHash)
    {
        var outcome = new TaskCompletionSource<Rejection?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_blockOutcomes)
        {
            _blockOutcomes[blockHash] = outcome;
        }

        return outcome.Task;
    }

    /// <summary>Stops expecting the outcome of a block.</summary>
    public void ForgetOutcome(byte[] blockHash)
    {
        lock (_blockOutcomes)
        {
            _blockOutcomes.Remove(blockHash);
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        if (entry.Index <= AppliedIndex)
        {
            return AppliedIndex;
        }

        if (entry.IsSnapshot)
        {
            return await InstallSnapshotAsync(entry, token).ConfigureAwait(false);
        }

        var block = entry.Context as Block;
        var trusted = block is not null;
        Rejection? rejection = null;
        if (block is null)
        {
            byte[] bytes = entry.TryGetPayload(out var sequence) ? sequence.ToArray() : await entry.ToByteArrayAsync(token: token).ConfigureAwait(false);
            if (bytes.Length == 0)
            {
                lock (Sync)
                {
                    Volatile.Write(ref _appliedIndex, entry.Index);
                    _appliedTerm = entry.Term;
                }

                return entry.Index;
            }

            try
            {
                block = Block.Decode(bytes);
            }
            catch (ProtocolException e)
            {
                rejection = new(RejectReason.Malformed, $"Raft entry {entry.Index} is not a block: {e.Message}");
            }
        }

        if (block is not null)
        {
            rejection = Apply(block, trusted);
        }

        if (rejection is not null)
        {
            _log.LogError("Refused committed Raft entry {Index}: {Rejection}", entry.Index, rejection);
            RaiseBlockRefused(entry.Index, block, rejection);
        }

        lock (Sync)
        {
            Volatile.Write(ref _appliedIndex, entry.Index);
            _appliedTerm = entry.Term;

            // After a refusal the snapshot moves past the entry at once, so a restart does not replay it and alert again.
            if (_blocksSinceSnapshot >= _snapshotEveryBlocks || rejection is not null)
            {
                WriteSnapshot();
            }
        }

        if (rejection is not null)
        {
            // Counted last: whoever watches the counter sees the alert raised and the snapshot written.
            Volatile.Write(ref _lastRejection, $"Raft entry {entry.Index}: {rejection}");
            Interlocked.Increment(ref _rejectedBlocks);
        }

        return entry.Index;
    }

    /// <summary>Nothing to reclaim: the state snapshot file is replaced in place, and blocks are kept for good.</summary>
    public ValueTask ReclaimGarbageAsync(long watermark, CancellationToken token) => ValueTask.CompletedTask;

    /// <summary>
    /// Writes blocks through to disk, then the state snapshot, and offers it to Raft (whose log may then drop the
    /// entries it covers). Call under <see cref="Sync"/>.
    /// </summary>
    public void WriteSnapshot()
    {
        _storage.WriteSnapshot(Committed, AppliedIndex, _appliedTerm);
        _blocksSinceSnapshot = 0;
        if (_appliedTerm > 0)
        {
            Volatile.Write(ref _raftSnapshot, RaftSnapshot.Of(Committed, AppliedIndex, _appliedTerm));
        }
    }

    /// <summary>
    /// Installs a Raft snapshot sent by the leader: applies, with every rule, the blocks between this replica's tips and
    /// the snapshot's (read through <see cref="CatchUp"/>, both chains merged in applied order), then requires the
    /// snapshot's tips and state hash. A failure throws, so the leader sends the snapshot again later; blocks applied
    /// so far stay applied (they are committed), and the next attempt resumes above them.
    /// </summary>
    private async ValueTask<long> InstallSnapshotAsync(LogEntry entry, CancellationToken token)
    {
        var bytes = entry.TryGetPayload(out var sequence) ? sequence.ToArray() : await entry.ToByteArrayAsync(token: token).ConfigureAwait(false);
        var snapshot = RaftSnapshot.Decode(bytes);
        if (snapshot.Index <= AppliedIndex)
        {
            return AppliedIndex;
        }

        var catchUp = CatchUp ?? throw new InvalidOperationException("A Raft snapshot arrived before the node could reach its peers.");
        ChainId[] chains = [ChainId.Userchain, ChainId.Docchain];
        var streams = chains.Select(c => catchUp(c, Committed.Tip(c).BlockCount, snapshot.Tip(c).BlockCount, token)).ToArray();
        var applied = 0;
        await foreach (var block in BlockMerge.InAppliedOrderAsync(streams[0], streams[1], token).ConfigureAwait(false))
        {
            if (Apply(block, trusted: false) is { } rejection)
            {
                throw new InvalidOperationException($"Installing the Raft snapshot at entry {snapshot.Index}: {LedgerText.ChainName(block.Header.Chain)} block {block.Header.Height} is refused: {rejection}");
            }

            applied++;
        }

        lock (Sync)
        {
            foreach (var c in chains)
            {
                if (!Committed.Tip(c).LastHash.AsSpan().SequenceEqual(snapshot.Tip(c).LastHash) || Committed.Tip(c).BlockCount != snapshot.Tip(c).BlockCount)
                {
                    throw new InvalidOperationException($"Installing the Raft snapshot at entry {snapshot.Index}: {LedgerText.ChainName(c)} reached {Committed.Tip(c).BlockCount} blocks, not the snapshot's tip ({snapshot.Tip(c).BlockCount} blocks).");
                }
            }

            if (!Committed.ComputeStateHash().AsSpan().SequenceEqual(snapshot.StateHash))
            {
                throw new InvalidOperationException($"Installing the Raft snapshot at entry {snapshot.Index}: the state hash after its blocks differs from the leader's.");
            }

            Volatile.Write(ref _appliedIndex, snapshot.Index);
            _appliedTerm = snapshot.Term;
            WriteSnapshot();
        }

        Interlocked.Increment(ref _snapshotsInstalled);
        _log.LogInformation("Installed the Raft snapshot at entry {Index}: applied {Blocks} blocks read from a peer", snapshot.Index, applied);
        return snapshot.Index;
    }

    /// <summary>Wakes the chain subscribers for good (the node stops).</summary>
    public void CancelBlockSignal() => _blockSignal.TrySetCanceled();

    private Rejection? Apply(Block block, bool trusted)
    {
        // Only the applier thread writes the committed state, so reading it here without the lock is safe.
        var signatures = trusted ? Enumerable.Repeat<bool?>(true, block.Transactions.Count).ToArray() : Committed.PreverifySignatures(block);
        Rejection? rejection;
        lock (Sync)
        {
            rejection = Committed.TryApplyBlock(block, signatures);
            if (rejection is null)
            {
                _storage.Append(block);
                Waiters.Committed(block);
                Interlocked.Exchange(ref _blockSignal, NewSignal()).TrySetResult();
                _blocksSinceSnapshot++;
            }
        }

        if (rejection is null)
        {
            AccountingMetrics.BlockApplied(block, _node.ToString()[..8], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            Applied?.Invoke(block);
        }

        if (_blockOutcomes.Count > 0)
        {
            lock (_blockOutcomes)
            {
                if (_blockOutcomes.Remove(block.Hash, out var outcome))
                {
                    outcome.TrySetResult(rejection);
                }
            }
        }

        return rejection;
    }

    /// <summary>
    /// Raises the alert for a committed block this replica refuses, naming its proposer when the proposer's signature
    /// verifies (else only as the claimed proposer in the details). Called on the applier thread.
    /// </summary>
    private void RaiseBlockRefused(long index, Block? block, Rejection rejection)
    {
        var details = new Dictionary<string, string> { ["raftIndex"] = index.ToString(CultureInfo.InvariantCulture), ["reason"] = rejection.Reason.ToString() };
        IdentityId? proposer = null;
        if (block is not null)
        {
            details["chain"] = LedgerText.ChainName(block.Header.Chain);
            details["height"] = block.Header.Height.ToString(CultureInfo.InvariantCulture);
            details["blockHash"] = Convert.ToHexStringLower(block.Hash);

            // Name the proposer only when its signature verifies: a faulty leader could put another node's id on a block.
            details["claimedProposer"] = block.Header.Proposer.ToString();
            if (Committed.GetIdentity(block.Header.Proposer) is { Role: Role.AccountingNode } record && block.VerifyProposer(record.Keys))
            {
                proposer = block.Header.Proposer;
            }
        }

        var what = block is null ? "" : $" ({LedgerText.ChainName(block.Header.Chain)} block {block.Header.Height}, " + (proposer is null ? $"claiming proposer {block.Header.Proposer} without its valid signature)" : $"proposed by {proposer})");
        _alerts.Raise(new Alert(AlertKind.BlockRefused, $"Accounting node {_node} refused committed Raft entry {index}{what}: {rejection}")
        {
            IdentityId = proposer?.ToString(),
            Node = _node.ToString(),
            Details = details,
        });
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
