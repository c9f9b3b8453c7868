using System.Net;
using HealthBlock.Devnet;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Batching;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;
using HealthBlock.Storage.Embedded;
using HealthBlock.Wearable.Simulation.Wearable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace HealthBlock.Gateway.Tests;

/// <summary>
/// A gateway in one test process with its MQTT broker on an OS-chosen port and an embedded content store, in temp
/// folders, over an <see cref="InMemoryLedger"/> (the ledger rules without Raft or HTTP) — or, for the tests about
/// the real node over HTTP (outages, Mosquitto), a one-node accounting cluster.
/// </summary>
internal sealed class GatewayWorld : IAsyncDisposable
{
    private readonly TempFolder _temp = new();
    private readonly TransactionSigner _admin;
    private readonly LocalCluster? _cluster;
    private readonly IDisposable[] _keys;

    private GatewayWorld(ILedger ledger, IdentityKey admin, LocalCluster? cluster, params IDisposable[] keys)
    {
        Ledger = ledger;
        _cluster = cluster;
        _keys = keys;
        Store = new EmbeddedContentStore(_temp.Sub("store"));
        _admin = new TransactionSigner(admin, TestNetwork.Of(ledger));
    }

    public ILedger Ledger { get; }

    public IContentStore Store { get; }

    public IdentityKey Patient { get; } = IdentityKey.Generate();

    public GatewayService Gateway { get; private set; } = null!;

    public string DataFolder => _temp.Sub("gateway");

    /// <summary>A world whose admin has registered the patient and whose gateway runs (with <paramref name="registerPatient"/> false: neither; start it with <see cref="StartGatewayAsync"/>).</summary>
    public static async Task<GatewayWorld> StartAsync(Uri? externalBroker = null, ILoggerFactory? loggers = null, Func<GatewayOptions, GatewayOptions>? configure = null, System.Device.Gpio.GpioController? gpio = null, bool realNode = false, bool registerPatient = true)
    {
        GatewayWorld world;
        if (realNode)
        {
            var root = Path.Combine(Path.GetTempPath(), "hb-gw-ledger-" + Guid.NewGuid().ToString("N"));
            var cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { RootDirectory = root });
            var leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
            world = new GatewayWorld(leader, cluster.Admin, cluster);
        }
        else
        {
            var (genesis, admin, nodes) = GenesisKeys.Generate(1);
            var ledger = new InMemoryLedger(genesis, nodes[0]);
            world = new GatewayWorld(ledger, admin, null, ledger, admin, nodes[0]);
        }

        if (registerPatient)
        {
            await world.RegisterAsync(world.Patient, Role.Patient, "patient");
            await world.StartGatewayAsync(externalBroker, loggers, configure: configure, gpio: gpio);
        }

        return world;
    }

    public async Task StartGatewayAsync(Uri? externalBroker = null, ILoggerFactory? loggers = null, ILedger? ledger = null, IContentStore? store = null, Func<GatewayOptions, GatewayOptions>? configure = null, System.Device.Gpio.GpioController? gpio = null)
    {
        var options = new GatewayOptions
        {
            DataFolder = DataFolder,
            MqttPort = 0,
            MqttBindAddress = IPAddress.Loopback,
            ExternalBroker = externalBroker,
            Gpio = null,
            Batching = new BatchOptions { Window = TimeSpan.FromMilliseconds(100) },
        };
        Gateway = await GatewayService.StartAsync(
            configure?.Invoke(options) ?? options,
            Patient,
            ledger ?? Ledger,
            store ?? Store,
            loggers ?? NullLoggerFactory.Instance,
            gpio);
    }

    public Task<IdentityKey> RegisterDoctorAsync(string name) => RegisterAsync(IdentityKey.Generate(), Role.Doctor, name);

    public async Task<IdentityKey> RegisterAsync(IdentityKey key, Role role, string name)
    {
        await Ledger.SubmitAndWaitAsync(_admin.Sign(RegisterPayload.For(key.Public, role, name)), TimeSpan.FromSeconds(30));
        return key;
    }

    public async Task IssueAsync(IdentityId to, ulong amount) =>
        await Ledger.SubmitAndWaitAsync(_admin.Sign(new IssuePayload(to, amount)), TimeSpan.FromSeconds(30));

    public TestDevice PairDevice(ulong id)
    {
        var entry = Gateway.Pair(id);
        return new TestDevice(entry.Id, entry.Key, Gateway.UplinkFor(entry).ToSecurity());
    }

    /// <summary>
    /// Pairs <paramref name="deviceId"/> and publishes <paramref name="count"/> ECG frames of one 250-sample ramp from
    /// <paramref name="first"/> (readings nobody could mistake for anything else in a file), each acknowledged.
    /// </summary>
    public async Task<(TestDevice Device, string Topic, short[] Samples, List<byte[]> Frames)> PublishRampAsync(ulong deviceId, short first, int count)
    {
        var device = PairDevice(deviceId);
        var topic = device.Topic(Patient.Id.ToString());
        var samples = Enumerable.Range(0, 250).Select(i => (short)(first + i)).ToArray();
        var frames = Enumerable.Range(0, count).Select(_ => device.Frame(SensorKind.Ecg, samples)).ToList();
        using var client = await ConnectDeviceAsync(device, "127.0.0.1", Gateway.MqttPort);
        foreach (var frame in frames)
        {
            Xunit.Assert.Equal(MqttClientPublishReasonCode.Success, (await PublishAsync(client, topic, frame)).ReasonCode);
        }

        return (device, topic, samples, frames);
    }

    public static async Task<IMqttClient> ConnectDeviceAsync(TestDevice device, string host, int port)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(DeviceTlsOptions.Builder(host, port, "wearable-" + device.Name, device.Security).Build());
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode}");
        }

        return client;
    }

    public static async Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, byte[] frame) =>
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(frame).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    /// <summary>Every IoT transaction of the patient, in ledger order.</summary>
    public async Task<List<CommittedTransaction>> IotTransactionsAsync() =>
        [.. (await Ledger.GetTransactionsForAsync(Patient.Id, ChainId.Userchain, 0, 100_000)).Where(t => t.Transaction.Body.Type == TransactionType.Iot)];

    /// <summary>Opens a doctor's envelopes of every key transaction it holds: epoch → IoT key.</summary>
    public async Task<Dictionary<uint, byte[]>> DoctorIotKeysAsync(IdentityKey doctor)
    {
        var keys = new Dictionary<uint, byte[]>();
        foreach (var t in await Ledger.GetTransactionsForAsync(Patient.Id, ChainId.Userchain, 0, 100_000))
        {
            if (t.Transaction.Body.Payload is KeyPayload k && k.Envelopes.FirstOrDefault(e => e.Doctor == doctor.Id) is { } envelope)
            {
                keys[k.Epoch] = Envelope.Open(doctor, k.Epoch, EnvelopePurpose.IotKey, envelope.IotKey);
            }
        }

        return keys;
    }

    /// <summary>Decrypts one IoT transaction's batch with <paramref name="iotKey"/>.</summary>
    public async Task<IotBatch> OpenBatchAsync(CommittedTransaction iot, byte[] iotKey)
    {
        var p = (IotPayload)iot.Transaction.Body.Payload;
        return IotBatch.Open(await Store.GetAsync(p.Cid), iotKey, Patient.Id, p.Epoch, p.Batch);
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
            try
            {
                Directory.Delete(_cluster.RootDirectory, true);
            }
            catch (IOException)
            {
            }
        }

        foreach (var key in _keys)
        {
            key.Dispose();
        }

        Patient.Dispose();
        _temp.Dispose();
    }
}
