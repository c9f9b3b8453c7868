using System.Collections.Concurrent;
using HealthBlock.Alerts;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Accounting.Tests;

public sealed class ChainStorageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("healthblock-chainstorage-").FullName;

    [Fact]
    public async Task Blocks_and_a_snapshot_written_come_back_verified_with_their_indexes()
    {
        using var f = new NodePartsFixture();
        var blocks = new[] { f.CommitRegistration(), f.CommitRegistration(), f.CommitRegistration() };
        using (var storage = new ChainStorage(_dir))
        {
            foreach (var b in blocks)
            {
                storage.Append(b);
            }

            storage.WriteSnapshot(f.State, 7);
        }

        var (alerts, hub) = NewHub();
        await using (hub)
        {
            using var reopened = new ChainStorage(_dir);
            var (state, applied, _) = reopened.LoadAndVerify(f.Genesis, f.Node.Id, hub, NullLogger.Instance);

            Assert.Equal(7, applied);
            Assert.Equal(f.State.ComputeStateHash(), state.ComputeStateHash());
            Assert.Equal(new TxLocation(ChainId.Userchain, 2, 0), state.FindTransaction(blocks[2].Transactions[0].IdBytes));
            Assert.Null(reopened.Fault(ChainId.Userchain));
            Assert.Equal(blocks[1].Hash, reopened.ReadBlock(ChainId.Userchain, 1)!.Hash);
            Assert.Empty(alerts);
        }
    }

    [Fact]
    public async Task Blocks_beyond_the_snapshot_are_dropped_and_a_missing_block_is_a_fault_that_alerts()
    {
        using var f = new NodePartsFixture();
        var first = f.CommitRegistration();
        var snapshot = LedgerState.FromGenesis(f.Genesis);
        Assert.Null(snapshot.TryApplyBlock(first));
        var second = f.CommitRegistration();
        using (var storage = new ChainStorage(_dir))
        {
            storage.Append(first);
            storage.Append(second);
            storage.WriteSnapshot(snapshot, 1);
        }

        var (alerts, hub) = NewHub();
        await using (hub)
        {
            using (var reopened = new ChainStorage(_dir))
            {
                reopened.LoadAndVerify(f.Genesis, f.Node.Id, hub, NullLogger.Instance);
                Assert.Equal(1UL, reopened.Count(ChainId.Userchain));
                Assert.Null(reopened.Fault(ChainId.Userchain));
            }

            // A snapshot that counts a block the file does not hold: the chain is not served.
            using (var storage = new ChainStorage(_dir))
            {
                storage.WriteSnapshot(f.State, 2);
            }

            using var faulty = new ChainStorage(_dir);
            faulty.LoadAndVerify(f.Genesis, f.Node.Id, hub, NullLogger.Instance);
            Assert.Contains("userchain block 1", faulty.Fault(ChainId.Userchain), StringComparison.Ordinal);
            Assert.Equal(RejectReason.ChainUnavailable, Assert.Throws<LedgerRejectedException>(() => faulty.ReadBlock(ChainId.Userchain, 0)).Reason);
            Assert.Equal(AlertKind.AuditMismatch, Assert.Single(alerts).Kind);
        }
    }

    [Fact]
    public void A_damaged_snapshot_is_refused_with_advice()
    {
        using var f = new NodePartsFixture();
        var path = Path.Combine(_dir, SnapshotFile.FileName);
        SnapshotFile.Write(path, f.State, 3);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 1;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidOperationException>(() => SnapshotFile.Read(path, f.Genesis));
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
        Assert.Null(SnapshotFile.Read(Path.Combine(_dir, "missing"), f.Genesis));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (ConcurrentQueue<Alert> Alerts, AlertHub Hub) NewHub()
    {
        var alerts = new ConcurrentQueue<Alert>();
        return (alerts, new AlertHub([new CallbackAlertSink("test", alerts.Enqueue)]));
    }
}
