using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Accounting;

/// <summary>
/// A node's files: the Userchain and Docchain block files and the state snapshot. At start it loads the snapshot,
/// truncates the block files to it (later blocks come again from the Raft log) and verifies each stored chain; a chain
/// that fails is not served (<see cref="RejectReason.ChainUnavailable"/>), logged as critical and alerted.
/// </summary>
internal sealed class ChainStorage : IBlockSource, IDisposable
{
    private readonly string _snapshotPath;
    private readonly BlockStore[] _stores;
    private readonly string?[] _faults = new string?[2];

    public ChainStorage(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        _snapshotPath = Path.Combine(dataDirectory, SnapshotFile.FileName);
        _stores =
        [
            new BlockStore(Path.Combine(dataDirectory, "userchain.blocks"), ChainId.Userchain),
            new BlockStore(Path.Combine(dataDirectory, "docchain.blocks"), ChainId.Docchain),
        ];
    }

    /// <summary>
    /// Loads the state snapshot (or the genesis state) and verifies the stored chains against it, rebuilding the
    /// indexes; returns the state and the Raft index it covers.
    /// </summary>
    /// <exception cref="InvalidOperationException">The snapshot file is damaged.</exception>
    public (LedgerState State, long AppliedIndex) LoadAndVerify(Genesis genesis, IdentityId node, AlertHub alerts, ILogger log)
    {
        var (state, appliedIndex) = SnapshotFile.Read(_snapshotPath, genesis) ?? (LedgerState.FromGenesis(genesis), 0);
        foreach (var store in _stores)
        {
            var tip = state.Tip(store.Chain);
            if (store.Count > tip.BlockCount)
            {
                // Blocks applied after the last snapshot: the Raft log applies them again.
                store.Truncate(tip.BlockCount);
            }

            if (StoredChainVerifier.Verify(store, state) is { } fault)
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

        log.LogInformation(
            "Loaded state at Raft index {Index}: userchain {User} blocks, docchain {Doc} blocks",
            appliedIndex,
            state.Tip(ChainId.Userchain).BlockCount,
            state.Tip(ChainId.Docchain).BlockCount);
        return (state, appliedIndex);
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

    /// <summary>Writes the blocks through to disk, then the snapshot of <paramref name="state"/> (atomically).</summary>
    public void WriteSnapshot(LedgerState state, long appliedIndex)
    {
        foreach (var s in _stores)
        {
            s.Flush();
        }

        SnapshotFile.Write(_snapshotPath, state, appliedIndex);
    }

    public void Dispose()
    {
        foreach (var s in _stores)
        {
            s.Dispose();
        }
    }

    private static int Index(ChainId chain) => chain == ChainId.Docchain ? 1 : 0;
}
