using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Accounting;

public sealed partial class AccountingNode
{
    private const string SnapshotFileName = "state.snapshot";
    private readonly Dictionary<byte[], List<TaskCompletionSource<TxLocation>>> _waiters = new(ByteArrayComparer.Instance);
    private readonly Dictionary<byte[], TaskCompletionSource<Rejection?>> _blockOutcomes = new(ByteArrayComparer.Instance);

    /// <summary>Loads the state snapshot and verifies the stored chains against it; rebuilds the indexes.</summary>
    private void LoadAndVerify()
    {
        var path = Path.Combine(_options.DataDirectory, SnapshotFileName);
        if (File.Exists(path))
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 40 || !SHA256.HashData(bytes.AsSpan(40)).AsSpan().SequenceEqual(bytes.AsSpan(8, 32)))
            {
                throw new InvalidOperationException($"The state snapshot {path} is damaged (checksum mismatch); move it away to rebuild the state from the Raft log.");
            }

            _appliedIndex = BinaryPrimitives.ReadInt64BigEndian(bytes);
            _committed = LedgerState.FromSnapshot(Genesis, bytes.AsMemory(40));
        }

        foreach (var chain in new[] { ChainId.Userchain, ChainId.Docchain })
        {
            var store = _stores[Index(chain)];
            var tip = _committed.Tip(chain);
            if (store.Count > tip.BlockCount)
            {
                // Blocks applied after the last snapshot: the Raft log applies them again.
                store.Truncate(tip.BlockCount);
            }

            var fault = VerifyStoredChain(store, tip);
            if (fault is not null)
            {
                _faults[Index(chain)] = fault;
                _log.LogCritical("Refusing to serve {Chain}: {Fault}", LedgerText.ChainName(chain), fault);
                Alerts.Raise(new HealthBlock.Alerts.Alert(HealthBlock.Alerts.AlertKind.AuditMismatch, $"Stored {LedgerText.ChainName(chain)} of accounting node {NodeId} fails verification; not serving it: {fault}")
                {
                    Node = NodeId.ToString(),
                    Details = new Dictionary<string, string> { ["chain"] = LedgerText.ChainName(chain), ["file"] = store.Path, ["fault"] = fault },
                });
            }
        }

        _log.LogInformation(
            "Loaded state at Raft index {Index}: userchain {User} blocks, docchain {Doc} blocks",
            _appliedIndex,
            _committed.Tip(ChainId.Userchain).BlockCount,
            _committed.Tip(ChainId.Docchain).BlockCount);
    }

    /// <summary>
    /// Checks every stored block of one chain: decodes, height, link to its predecessor, Merkle root, proposer (an
    /// accounting node) and its signature, every transaction signature, and that the last block is the snapshot's tip.
    /// Indexes the blocks it reads. Returns null or the first problem, naming the chain and height.
    /// </summary>
    private string? VerifyStoredChain(BlockStore store, ChainTip tip)
    {
        var name = LedgerText.ChainName(store.Chain);
        var previous = new byte[32];
        string? fault = null;
        for (ulong h = 0; h < tip.BlockCount; h++)
        {
            var raw = store.ReadRaw(h);
            if (raw is null)
            {
                return fault ?? $"{name} block {h} is missing from {store.Path} (the state says the chain has {tip.BlockCount} blocks)";
            }

            Block block;
            try
            {
                block = Block.Decode(raw);
            }
            catch (ProtocolException e)
            {
                fault ??= $"{name} block {h} does not decode: {e.Message}";
                previous = new byte[32];
                continue;
            }

            _committed.IndexRestoredBlock(block);
            if (fault is not null)
            {
                continue;
            }

            fault = CheckStoredBlock(block, name, h, previous);
            previous = block.Hash;
        }

        if (fault is null && tip.BlockCount > 0 && !previous.AsSpan().SequenceEqual(tip.LastHash))
        {
            fault = $"{name} block {tip.BlockCount - 1} is not the block the state snapshot recorded as the tip";
        }

        return fault;
    }

    private string? CheckStoredBlock(Block block, string name, ulong height, byte[] previous)
    {
        var header = block.Header;
        if (header.Height != height)
        {
            return $"{name} block {height} claims height {header.Height}";
        }

        if (!header.PreviousHash.AsSpan().SequenceEqual(previous))
        {
            return $"{name} block {height} does not link to block {height - 1} (previous hash mismatch)";
        }

        if (!block.MerkleRootMatches())
        {
            return $"{name} block {height}: Merkle root does not match its transactions";
        }

        if (_committed.GetIdentity(header.Proposer) is not { Role: Role.AccountingNode } proposer || !block.VerifyProposer(proposer.Keys))
        {
            return $"{name} block {height}: proposer signature does not verify";
        }

        var sigs = _committed.PreverifySignatures(block);
        for (var i = 0; i < sigs.Length; i++)
        {
            if (sigs[i] != true)
            {
                return $"{name} block {height}: transaction {i} ({block.Transactions[i].IdHex}) signature does not verify";
            }
        }

        return null;
    }

    /// <summary>Applies one committed Raft entry (a block) on this replica.</summary>
    private async ValueTask<long> ApplyEntryAsync(LogEntry entry, CancellationToken token)
    {
        if (entry.Index <= Volatile.Read(ref _appliedIndex))
        {
            return Volatile.Read(ref _appliedIndex);
        }

        if (entry.IsSnapshot)
        {
            throw new InvalidOperationException("This ledger never produces Raft snapshots, yet one was received.");
        }

        Block? block = entry.Context as Block;
        var trusted = block is not null;
        Rejection? rejection = null;
        if (block is null)
        {
            byte[] bytes = entry.TryGetPayload(out var sequence) ? sequence.ToArray() : await entry.ToByteArrayAsync(token: token).ConfigureAwait(false);
            if (bytes.Length == 0)
            {
                Volatile.Write(ref _appliedIndex, entry.Index);
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
            // Only the applier thread writes the committed state, so reading it here without the lock is safe.
            var signatures = trusted ? Enumerable.Repeat<bool?>(true, block.Transactions.Count).ToArray() : _committed.PreverifySignatures(block);
            lock (_sync)
            {
                rejection = _committed.TryApplyBlock(block, signatures);
                if (rejection is null)
                {
                    _stores[Index(block.Header.Chain)].Append(block);
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

                    Interlocked.Exchange(ref _blockSignal, NewSignal()).TrySetResult();
                    _blocksSinceSnapshot++;
                }
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
        }

        if (rejection is not null)
        {
            _log.LogError("Refused committed Raft entry {Index}: {Rejection}", entry.Index, rejection);
            RaiseBlockRefused(entry.Index, block, rejection);
        }

        lock (_sync)
        {
            Volatile.Write(ref _appliedIndex, entry.Index);

            // After a refusal the snapshot moves past the entry at once, so a restart does not replay it and alert again.
            if (_blocksSinceSnapshot >= _options.SnapshotEveryBlocks || rejection is not null)
            {
                WriteSnapshot();
            }
        }

        if (rejection is not null)
        {
            // Counted last: whoever watches the counter sees the alert raised and the snapshot written.
            _lastRejection = $"Raft entry {entry.Index}: {rejection}";
            Interlocked.Increment(ref _rejectedBlocks);
        }

        return entry.Index;
    }

    /// <summary>
    /// Raises the alert for a committed block this replica refuses, naming its proposer when the proposer's signature
    /// verifies (else only as the claimed proposer in the details). Called on the applier thread.
    /// </summary>
    private void RaiseBlockRefused(long index, Block? block, Rejection rejection)
    {
        var details = new Dictionary<string, string> { ["raftIndex"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture), ["reason"] = rejection.Reason.ToString() };
        if (block is not null)
        {
            details["chain"] = LedgerText.ChainName(block.Header.Chain);
            details["height"] = block.Header.Height.ToString(System.Globalization.CultureInfo.InvariantCulture);
            details["blockHash"] = Convert.ToHexStringLower(block.Hash);
        }

        // Name the proposer only when its signature verifies: a faulty leader could put another node's id on a block.
        IdentityId? proposer = null;
        if (block is not null)
        {
            details["claimedProposer"] = block.Header.Proposer.ToString();
            if (_committed.GetIdentity(block.Header.Proposer) is { Role: Role.AccountingNode } record && block.VerifyProposer(record.Keys))
            {
                proposer = block.Header.Proposer;
            }
        }

        var what = block is null ? "" : $" ({LedgerText.ChainName(block.Header.Chain)} block {block.Header.Height}, " + (proposer is null ? $"claiming proposer {block.Header.Proposer} without its valid signature)" : $"proposed by {proposer})");
        Alerts.Raise(new HealthBlock.Alerts.Alert(HealthBlock.Alerts.AlertKind.BlockRefused, $"Accounting node {NodeId} refused committed Raft entry {index}{what}: {rejection}")
        {
            IdentityId = proposer?.ToString(),
            Node = NodeId.ToString(),
            Details = details,
        });
    }

    /// <summary>Writes blocks through to disk, then the state snapshot (atomically). Call under <see cref="_sync"/>.</summary>
    private void WriteSnapshot()
    {
        foreach (var s in _stores)
        {
            s.Flush();
        }

        var state = _committed.ToSnapshot();
        var bytes = new byte[40 + state.Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, _appliedIndex);
        SHA256.HashData(state, bytes.AsSpan(8, 32));
        state.CopyTo(bytes, 40);
        var path = Path.Combine(_options.DataDirectory, SnapshotFileName);
        var temp = path + ".tmp";
        using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            f.Write(bytes);
            f.Flush(true);
        }

        File.Move(temp, path, overwrite: true);
        _blocksSinceSnapshot = 0;
    }

    /// <summary>The Raft state machine: hands committed entries to the node. Never offers Raft snapshots, so the log
    /// keeps every entry and a lagging or new follower catches up by replication.</summary>
    private sealed class Replica(AccountingNode node) : IStateMachine
    {
        public ISnapshot? Snapshot => null;

        public ValueTask<long> ApplyAsync(LogEntry entry, CancellationToken token) => node.ApplyEntryAsync(entry, token);

        public ValueTask ReclaimGarbageAsync(long watermark, CancellationToken token) => ValueTask.CompletedTask;
    }
}
