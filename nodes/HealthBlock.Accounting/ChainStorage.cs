using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Accounting;

/// <summary>
/// A node's files: the Userchain and Docchain block files (with their offsets files), the state snapshot and the
/// transaction index (<see cref="DiskTransactionIndex"/>). At start it loads the snapshot over the index, truncates the
/// block files to it (later blocks come again from the Raft log), indexes only the blocks the index does not yet hold,
/// and verifies each stored chain (all of it, or only the blocks above the index: <see cref="StartupVerification"/>);
/// a chain that fails is not served (<see cref="RejectReason.ChainUnavailable"/>), logged as critical and alerted.
/// </summary>
internal sealed class ChainStorage : IBlockSource, IDisposable
{
    private readonly string _snapshotPath;
    private readonly BlockStore[] _stores;
    private readonly string?[] _faults = new string?[2];
    private readonly DiskTransactionIndex _index;

    public ChainStorage(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        _snapshotPath = Path.Combine(dataDirectory, SnapshotFile.FileName);
        _stores =
        [
            new BlockStore(Path.Combine(dataDirectory, "userchain.blocks"), ChainId.Userchain),
            new BlockStore(Path.Combine(dataDirectory, "docchain.blocks"), ChainId.Docchain),
        ];
        _index = DiskTransactionIndex.Open(dataDirectory);
        DataDirectory = dataDirectory;
    }

    /// <summary>The data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>The committed transaction index on disk.</summary>
    public DiskTransactionIndex TransactionIndex => _index;

    /// <summary>
    /// Loads the state snapshot (or the genesis state) over the transaction index and verifies the stored chains
    /// against it, indexing the blocks the index lacks; returns the snapshot (state, Raft index and term it covers).
    /// </summary>
    /// <exception cref="InvalidOperationException">The snapshot file is damaged.</exception>
    public StoredSnapshot LoadAndVerify(Genesis genesis, IdentityId node, AlertHub alerts, ILogger log, StartupVerification verification = StartupVerification.Full)
    {
        var snapshot = SnapshotFile.Read(_snapshotPath, genesis, _index) ?? new StoredSnapshot(LedgerState.FromGenesis(genesis, _index), 0, 0);
        var state = snapshot.State;
        if (_stores.Any(s => _index.StoredBlocks(s.Chain) > state.Tip(s.Chain).BlockCount))
        {
            // The index is ahead of the snapshot (an older snapshot was put back): build it again from the blocks.
            _index.Reset();
        }

        foreach (var store in _stores)
        {
            var tip = state.Tip(store.Chain);
            if (store.Count > tip.BlockCount)
            {
                // Blocks applied after the last snapshot: the Raft log applies them again.
                store.Truncate(tip.BlockCount);
            }

            var indexed = _index.StoredBlocks(store.Chain);
            var verifyFrom = verification == StartupVerification.Full ? 0 : indexed;
            if (StoredChainVerifier.Verify(store, state, verifyFrom, indexed) is { } fault)
            {
                var chain = LedgerText.ChainName(store.Chain);
                _faults[Index(store.Chain)] = fault;
                log.LogCritical("Refusing to serve {Chain}: {Fault}", chain, fault);
                alerts.Raise(new Alert(AlertKind.AuditMismatch, $"Stored {chain} of accounting node {node} fails verification; not serving it: {fault}")
                {
                    Node = node.ToString(),
                    Details = new Dictionary<string, string> { ["chain"] = chain, ["file"] = store.Path, ["fault"] = fault },
                });
            }
        }

        if (_faults.All(f => f is null))
        {
            _index.Flush();
        }

        log.LogInformation(
            "Loaded state at Raft index {Index}: userchain {User} blocks, docchain {Doc} blocks, {Indexed} transactions indexed",
            snapshot.AppliedIndex,
            state.Tip(ChainId.Userchain).BlockCount,
            state.Tip(ChainId.Docchain).BlockCount,
            _index.Count);
        return snapshot;
    }

    /// <summary>Why a chain is not served, or null.</summary>
    public string? Fault(ChainId chain) => _faults[Index(chain)];

    /// <summary>Throws <see cref="RejectReason.ChainUnavailable"/> when the chain is not served.</summary>
    public void EnsureServed(ChainId chain)
    {
        if (_faults[Index(chain)] is { } fault)
        {
            throw new LedgerRejectedException(RejectReason.ChainUnavailable, fault);
        }
    }

    /// <summary>Number of stored blocks of a chain.</summary>
    public ulong Count(ChainId chain) => _stores[Index(chain)].Count;

    /// <inheritdoc />
    public Block? ReadBlock(ChainId chain, ulong height)
    {
        EnsureServed(chain);
        var raw = _stores[Index(chain)].ReadRaw(height);
        return raw is null ? null : Block.Decode(raw);
    }

    /// <summary>Appends a committed block to its chain's file (buffered until the next snapshot).</summary>
    public void Append(Block block) => _stores[Index(block.Header.Chain)].Append(block);

    /// <summary>Bytes of a chain's block file.</summary>
    public long BlockBytes(ChainId chain) => _stores[Index(chain)].Length;

    /// <summary>The raw (encoded) block at <paramref name="height"/>, or null beyond the end.</summary>
    public byte[]? ReadRawBlock(ChainId chain, ulong height)
    {
        EnsureServed(chain);
        return _stores[Index(chain)].ReadRaw(height);
    }

    /// <summary>
    /// Writes the blocks through to disk, then the snapshot of <paramref name="state"/> at Raft entry
    /// (<paramref name="appliedIndex"/>, <paramref name="appliedTerm"/>) atomically, then moves the transactions indexed
    /// since the last snapshot into the index file (never ahead of the snapshot).
    /// </summary>
    public void WriteSnapshot(LedgerState state, long appliedIndex, long appliedTerm = 0)
    {
        foreach (var s in _stores)
        {
            s.Flush();
        }

        SnapshotFile.Write(_snapshotPath, state, appliedIndex, appliedTerm);
        _index.Flush();
    }

    public void Dispose()
    {
        foreach (var s in _stores)
        {
            s.Dispose();
        }

        _index.Dispose();
    }

    private static int Index(ChainId chain) => chain == ChainId.Docchain ? 1 : 0;
}
