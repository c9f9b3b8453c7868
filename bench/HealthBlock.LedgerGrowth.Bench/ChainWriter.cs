using HealthBlock.Accounting;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.LedgerGrowth.Bench;

/// <summary>
/// Writes generated blocks into an accounting node's data folder exactly as its replica would (block files, offsets,
/// transaction index, state snapshots), applying every rule except signature checks (signatures are known good: the
/// generator made them; the audit checks them all). A state snapshot (which also moves the waiting transaction-index
/// entries to the SQLite file) is written every <see cref="SnapshotEveryBlocks"/> blocks and when the writer is disposed,
/// so every checkpoint restarts from a snapshot at its tip, as a node stopped cleanly does.
/// </summary>
internal sealed class ChainWriter : IDisposable
{
    private readonly ChainStorage _storage;
    private readonly Genesis _genesis;
    private readonly IdentityKey _node;
    private readonly long _appliedIndex;
    private readonly long _appliedTerm;
    private readonly Queue<Block> _recent = new();
    private int _sinceSnapshot;

    /// <summary>
    /// Blocks between state snapshots while generating: 4,096 (about 34 simulated minutes at two blocks a second). Each
    /// snapshot encodes the whole state and fsyncs; every 256 blocks (the first version) made them half the generation time.
    /// </summary>
    public const int SnapshotEveryBlocks = 4096;

    public ChainWriter(string dataDirectory, Genesis genesis, IdentityKey node)
    {
        _genesis = genesis;
        _node = node;
        _storage = new ChainStorage(dataDirectory);
        using var alerts = AlertHub.Logging(NullLogger.Instance);
        var loaded = _storage.LoadAndVerify(genesis, node.Id, alerts, NullLogger.Instance, StartupVerification.Tail);
        State = loaded.State;
        _appliedIndex = loaded.AppliedIndex;
        _appliedTerm = loaded.AppliedTerm;
    }

    public LedgerState State { get; }

    /// <summary>Encoded bytes of the transactions written (the payload a ledger cannot avoid storing).</summary>
    public long TransactionBytes { get; private set; }

    public long Transactions { get; private set; }

    /// <summary>Count and encoded bytes of the transactions written, by type.</summary>
    public Dictionary<TransactionType, (long Count, long Bytes)> ByType { get; } = [];

    public long Blocks { get; private set; }

    /// <summary>Seals <paramref name="transactions"/> into the next block of <paramref name="chain"/> at (or just after) <paramref name="timeMs"/>.</summary>
    public void Append(ChainId chain, long timeMs, IReadOnlyList<Transaction> transactions)
    {
        if (transactions.Count == 0)
        {
            return;
        }

        var tip = State.Tip(chain);
        var time = Math.Max(timeMs, State.LastBlockTimeMs + 1);
        var block = Block.Create(_genesis.NetworkId, chain, tip.BlockCount, tip.LastHash, time, _node, transactions);
        if (State.TryApplyBlock(block, Enumerable.Repeat<bool?>(true, transactions.Count).ToArray()) is { } rejection)
        {
            throw new InvalidOperationException($"The generator made a {LedgerText.ChainName(chain)} block the ledger refuses: {rejection}");
        }

        _storage.Append(block);
        if (chain == ChainId.Userchain)
        {
            _recent.Enqueue(block);
            if (_recent.Count > 200)
            {
                _recent.Dequeue();
            }
        }

        Blocks++;
        Transactions += transactions.Count;
        foreach (var tx in transactions)
        {
            var bytes = tx.Encode().Length;
            TransactionBytes += bytes;
            var (count, sum) = ByType.GetValueOrDefault(tx.Body.Type);
            ByType[tx.Body.Type] = (count + 1, sum + bytes);
        }

        if (++_sinceSnapshot >= SnapshotEveryBlocks)
        {
            _storage.WriteSnapshot(State, _appliedIndex, _appliedTerm);
            _sinceSnapshot = 0;
        }
    }

    /// <summary>
    /// Milliseconds per transaction of the audit's signature check alone (the recent Userchain blocks verified as the
    /// audit verifies them, in parallel): the ceiling an audit's time is shown beside.
    /// </summary>
    public double VerifyMsPerTransaction()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var verified = 0;
        foreach (var block in _recent)
        {
            verified += State.PreverifySignatures(block).Count(v => v == true);
        }

        return verified == 0 ? 0 : clock.Elapsed.TotalMilliseconds / verified;
    }

    public void Dispose()
    {
        _storage.WriteSnapshot(State, _appliedIndex, _appliedTerm);
        _storage.Dispose();
    }
}
