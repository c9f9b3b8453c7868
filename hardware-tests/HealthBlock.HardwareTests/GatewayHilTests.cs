using System.Net;
using HealthBlock.Crypto;
using HealthBlock.Gateway;
using HealthBlock.Gateway.Batching;
using HealthBlock.Ledger;
using HealthBlock.Wearable.Simulation.Ecg;
using HealthBlock.Wearable.Simulation.Wearable;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage.Embedded;
using HealthBlock.Wearable.Sampling;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.HardwareTests;

/// <summary>
/// Hardware in the loop, end to end: emulated wearables running the real firmware core → MQTT → the real gateway
/// (its own broker, journal and batcher) → a real ledger and content store. The gateway goes down for a while.
/// </summary>
public sealed class GatewayHilTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hb-hil-" + Guid.NewGuid().ToString("N"));
    private readonly IdentityKey _patient = IdentityKey.Generate();
    private InMemoryLedger _ledger = null!;
    private IdentityKey[] _ledgerKeys = [];
    private EmbeddedContentStore _store = null!;
    private GatewayService _gateway = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        // The ledger's rules in memory: this test is about the wearables and the gateway, not about Raft or HTTP.
        var (genesis, admin, nodes) = GenesisKeys.Generate(1);
        _ledger = new InMemoryLedger(genesis, nodes[0]);
        _ledgerKeys = [admin, nodes[0]];
        _store = new EmbeddedContentStore(Path.Combine(_root, "store"));
        await _ledger.SubmitAndWaitAsync(new TransactionSigner(admin, genesis.NetworkId).Sign(RegisterPayload.For(_patient.Public, Role.Patient, "patient")), TimeSpan.FromSeconds(30));
        await StartGatewayAsync(0);
        _port = _gateway.MqttPort;
    }

    private async Task StartGatewayAsync(int port) => _gateway = await GatewayService.StartAsync(
        new GatewayOptions
        {
            DataFolder = Path.Combine(_root, "gateway"),
            MqttPort = port,
            MqttBindAddress = IPAddress.Loopback,
            Gpio = null,
            Batching = new BatchOptions { Window = TimeSpan.FromMilliseconds(100) },
        },
        _patient,
        _ledger,
        _store,
        NullLoggerFactory.Instance);

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _ledger.Dispose();
        foreach (var key in _ledgerKeys)
        {
            key.Dispose();
        }

        _patient.Dispose();
        try
        {
            Directory.Delete(_root, true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Every_frame_produced_is_committed_or_counted_dropped_and_lead_off_is_flagged_not_ecg()
    {
        var settings = new WearableSettings { QueueCapacity = 6, TemperatureIntervalMs = 5_000, BloodPressureIntervalMs = 10_000, ReconnectInitialMs = 200, ReconnectMaxMs = 1_000 };
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var wearables = Enumerable.Range(1, 3).Select(i =>
        {
            var entry = _gateway.Pair(0xB000_0000_0000_0000ul + (ulong)i);
            var ecg = new SyntheticEcgSource(new SyntheticEcgSourceOptions
            {
                HeartRateBpm = 60 + (10 * i),
                Seed = i,
                LeadOff = i == 1 ? [(2.0, 3.0)] : [],
            });
            return EmulatedWearable.WithMqtt(new EmulatedWearableOptions
            {
                DeviceId = entry.Id,
                Patient = _patient.Id.ToString(),
                Key = entry.Key,
                BrokerPort = _port,
                Security = _gateway.UplinkFor(entry).ToSecurity(),
                Ecg = ecg,
                Settings = settings,
                VirtualStartMs = start,
            });
        }).ToList();
        try
        {
            // Gateway up: ten virtual seconds.
            Parallel.ForEach(wearables, w => w.Advance(TimeSpan.FromSeconds(10)));

            // Gateway down for twenty virtual seconds: the wearables' bounded queues overflow and drop their oldest.
            await _gateway.DisposeAsync();
            Parallel.ForEach(wearables, w => w.Advance(TimeSpan.FromSeconds(20)));
            Assert.All(wearables, w => Assert.True(w.Statistics.FramesDropped > 0));

            // Gateway back on the same port: the wearables reconnect and drain.
            await StartGatewayAsync(_port);
            var drained = wearables.AsParallel().Select(w => w.AdvanceUntil(() => w.Statistics.IsDrained, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(60))).ToList();
            Assert.All(drained, Assert.True);
            await Eventually.WaitUntilAsync(() => _gateway.Batcher.Backlog() == 0 && _gateway.Ingestor.AcceptedCount > 0, "the gateway to drain its backlog", TimeSpan.FromSeconds(60));

            var committed = await CommittedFramesAsync();
            Assert.Equal(committed.Count, committed.DistinctBy(f => (f.DeviceId, f.Sequence)).Count());
            foreach (var w in wearables)
            {
                var stats = w.Statistics;
                var mine = committed.Where(f => f.DeviceId == w.Options.DeviceId).ToList();
                Assert.Equal(stats.FramesProduced - stats.FramesDropped, mine.Count);
                Assert.Equal(stats.FramesDropped, mine.Sum(f => f.Dropped));
            }

            var leadOff = committed.Where(f => f.Flags.HasFlag(FrameFlags.LeadOff)).ToList();
            Assert.NotEmpty(leadOff);
            Assert.All(leadOff, f =>
            {
                Assert.Equal(SensorKind.Ecg, f.Kind);
                Assert.Equal(wearables[0].Options.DeviceId, f.DeviceId);
                Assert.All(f.Samples.ToArray(), s => Assert.Equal(0, s));
            });
        }
        finally
        {
            foreach (var w in wearables)
            {
                w.Dispose();
            }
        }
    }

    private async Task<List<DeviceFrame>> CommittedFramesAsync()
    {
        var frames = new List<DeviceFrame>();
        foreach (var t in await _ledger.GetTransactionsForAsync(_patient.Id, ChainId.Userchain, 0, 100_000))
        {
            if (t.Transaction.Body.Payload is IotPayload p)
            {
                var key = _gateway.Keys.Epoch(p.Epoch)!;
                frames.AddRange(IotBatch.Open(await _store.GetAsync(p.Cid), key.IotKey, _patient.Id, p.Epoch, p.Batch).Frames.Select(b => DeviceFrame.Decode(b)));
            }
        }

        return frames;
    }
}
