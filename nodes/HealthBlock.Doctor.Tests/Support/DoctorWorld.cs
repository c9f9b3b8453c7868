using System.Net;
using HealthBlock.Devnet;
using HealthBlock.Crypto;
using HealthBlock.Gateway;
using HealthBlock.Gateway.Batching;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage.Embedded;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using HealthBlock.Wearable.Simulation.Wearable;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace HealthBlock.Doctor.Tests;

/// <summary>
/// A system in one test process, in temp folders: a ledger — in memory (<see cref="InMemoryLedger"/>: the ledger's
/// rules without Raft or HTTP) or a one-node accounting cluster reached over HTTP (<see cref="LedgerClient"/>) — an
/// embedded content store, real gateways (one per patient, each with its embedded MQTT broker on an OS-chosen port),
/// scripted patients that act on the ledger directly, and doctor nodes.
/// </summary>
internal sealed class DoctorWorld : IAsyncDisposable
{
    private readonly TempFolder _temp = new();
    private readonly List<PatientSide> _patients = [];
    private readonly List<ScriptedPatient> _scripted = [];
    private readonly List<DoctorNode> _nodes = [];
    private readonly List<IdentityKey> _doctors = [];
    private readonly Func<ValueTask> _closeLedger;
    private readonly List<IDisposable> _callerLedgers = [];
    private Func<IdentityKey, ILedger>? _ledgerAs;

    private DoctorWorld(ILedger ledger, Genesis genesis, IdentityKey admin, Func<ValueTask> closeLedger, ILoggerFactory loggers)
    {
        Ledger = ledger;
        Genesis = genesis;
        Admin = new LedgerSubmitter(admin, genesis.NetworkId, new MemoryNonceCounter(), ledger);
        _closeLedger = closeLedger;
        Loggers = loggers;
        Store = new EmbeddedContentStore(_temp.Sub("store"));
    }

    public ILedger Ledger { get; }

    public Genesis Genesis { get; }

    /// <summary>Signs and submits as the network's admin.</summary>
    public LedgerSubmitter Admin { get; }

    public EmbeddedContentStore Store { get; }

    public ILoggerFactory Loggers { get; }

    public ulong Fee => Genesis.DiagnosisFee;

    /// <summary>A world on an in-memory ledger.</summary>
    public static Task<DoctorWorld> StartAsync(ITestOutputHelper? output = null)
    {
        var (genesis, admin, nodes) = GenesisKeys.Generate(1, diagnosisFee: 10);
        var ledger = new InMemoryLedger(genesis, nodes[0]);
        return Task.FromResult(new DoctorWorld(ledger, genesis, admin, () =>
        {
            ledger.Dispose();
            admin.Dispose();
            nodes[0].Dispose();
            return ValueTask.CompletedTask;
        }, NewLoggers(output)));
    }

    /// <summary>A world on a one-node accounting cluster (Raft, WAL, HTTP), every party reaching it over HTTP.</summary>
    public static async Task<DoctorWorld> StartOnAccountingNodeAsync(ITestOutputHelper? output = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "hb-doc-ledger-" + Guid.NewGuid().ToString("N"));
        var cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { RootDirectory = root });
        var leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        var client = new LedgerClient(leader.HttpUrl, cluster.Admin);
        var world = new DoctorWorld(client, cluster.Genesis, cluster.Admin, async () =>
        {
            client.Dispose();
            await cluster.DisposeAsync();
            try
            {
                Directory.Delete(root, true);
            }
            catch (IOException)
            {
            }
        }, NewLoggers(output));
        world._ledgerAs = caller => new LedgerClient(leader.HttpUrl, caller);
        await world.Admin.SyncNonceAsync();
        return world;
    }

    /// <summary>Has the admin register a patient, starts its gateway and gives the patient Healthcoin to pay with.</summary>
    public async Task<PatientSide> AddPatientAsync(TimeSpan? batchWindow = null, ulong balance = 10_000, HealthBlock.Gateway.Live.LiveOptions? live = null)
    {
        var patient = new PatientSide(IdentityKey.Generate(), _temp.Sub("gateway-" + Guid.NewGuid().ToString("N")), batchWindow ?? TimeSpan.FromMilliseconds(100), live);
        await Admin.SubmitAndWaitAsync(RegisterPayload.For(patient.Key.Public, Role.Patient, "patient"));
        await patient.StartGatewayAsync(Ledger, Store);
        _patients.Add(patient);
        await Admin.SubmitAndWaitAsync(new IssuePayload(patient.Id, balance));
        return patient;
    }

    /// <summary>A patient acting on the ledger directly (no gateway), registered and with Healthcoin.</summary>
    public async Task<ScriptedPatient> AddScriptedPatientAsync(ulong balance = 10_000)
    {
        var patient = await ScriptedPatient.RegisterAsync(Ledger, Store, Admin, balance);
        _scripted.Add(patient);
        return patient;
    }

    public async Task<IdentityKey> RegisterDoctorAsync(string name)
    {
        var doctor = IdentityKey.Generate();
        _doctors.Add(doctor);
        await Admin.SubmitAndWaitAsync(RegisterPayload.For(doctor.Public, Role.Doctor, name));
        return doctor;
    }

    public string DoctorFolder(IdentityKey doctor) => _temp.Sub("doctor-" + doctor.Id);

    /// <summary>
    /// A diagnosis signed with <paramref name="doctor"/>'s key outside any doctor node (another process of the same
    /// doctor, a lost data folder), covering <paramref name="covers"/> or nothing; committed. It consumes one fee.
    /// </summary>
    public async Task<Transaction> DiagnoseElsewhereAsync(IdentityKey doctor, ScriptedPatient patient, Transaction? covers = null)
    {
        var elsewhere = new LedgerSubmitter(doctor, Genesis.NetworkId, new MemoryNonceCounter(), Ledger);
        await elsewhere.SyncNonceAsync();
        var (tx, _) = await elsewhere.SubmitAndWaitAsync(new DiagnosisPayload(patient.Id, patient.Epoch, Cid.Compute(doctor.Id.Bytes), covers is null ? [] : [covers.IdBytes], 0, 1, null));
        return tx;
    }

    public async Task<DoctorNode> StartDoctorAsync(
        IdentityKey doctor,
        ILedger? ledger = null,
        Action<DoctorNode>? beforeStart = null,
        HealthBlock.Storage.IContentStore? store = null,
        HealthBlock.Alerts.AlertHub? alerts = null,
        Func<DoctorNodeOptions, DoctorNodeOptions>? configure = null)
    {
        var options = new DoctorNodeOptions { DataFolder = DoctorFolder(doctor), Alerts = alerts, Network = Genesis.NetworkId };
        var node = DoctorNode.Create(configure?.Invoke(options) ?? options, doctor, ledger ?? LedgerAs(doctor), store ?? Store, Loggers);
        _nodes.Add(node);
        beforeStart?.Invoke(node);
        await node.StartAsync();
        return node;
    }

    /// <summary>
    /// The ledger as <paramref name="caller"/> reaches it: over HTTP a client whose reads it signs (so the node's read
    /// policy applies to it), in memory the shared ledger.
    /// </summary>
    public ILedger LedgerAs(IdentityKey caller)
    {
        if (_ledgerAs is null)
        {
            return Ledger;
        }

        var client = _ledgerAs(caller);
        _callerLedgers.Add((IDisposable)client);
        return client;
    }

    public async Task StopDoctorAsync(DoctorNode node)
    {
        _nodes.Remove(node);
        await node.DisposeAsync();
    }

    /// <summary>Every committed diagnosis transaction about <paramref name="patient"/> (optionally by one doctor).</summary>
    public async Task<List<(Transaction Tx, DiagnosisPayload Payload)>> DiagnosesAsync(IdentityId patient, IdentityId? doctor = null) =>
        [.. (await Ledger.GetTransactionsForAsync(patient, ChainId.Docchain, 0, 10_000))
            .Where(t => t.Transaction.Body.Payload is DiagnosisPayload && (doctor is null || t.Transaction.Body.Signer == doctor))
            .Select(t => (t.Transaction, (DiagnosisPayload)t.Transaction.Body.Payload))];

    /// <summary>Every committed diagnosis transaction about <paramref name="patient"/> (optionally by one doctor).</summary>
    public Task<List<(Transaction Tx, DiagnosisPayload Payload)>> DiagnosesAsync(PatientSide patient, IdentityId? doctor = null) => DiagnosesAsync(patient.Id, doctor);

    /// <summary>Every IoT transaction of the patient, in ledger order.</summary>
    public async Task<List<CommittedTransaction>> IotTransactionsAsync(PatientSide patient) =>
        [.. (await Ledger.GetTransactionsForAsync(patient.Id, ChainId.Userchain, 0, 10_000)).Where(t => t.Transaction.Body.Type == TransactionType.Iot)];

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.ToList())
        {
            await node.DisposeAsync();
        }

        foreach (var patient in _patients)
        {
            await patient.DisposeAsync();
        }

        foreach (var patient in _scripted)
        {
            patient.Dispose();
        }

        foreach (var doctor in _doctors)
        {
            doctor.Dispose();
        }

        foreach (var client in _callerLedgers)
        {
            client.Dispose();
        }

        await _closeLedger();
        if (Loggers is IDisposable d)
        {
            d.Dispose();
        }

        _temp.Dispose();
    }

    private static ILoggerFactory NewLoggers(ITestOutputHelper? output) =>
        output is null ? NullLoggerFactory.Instance : LoggerFactory.Create(b => b.AddProvider(new TestOutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Information));
}

/// <summary>A patient: identity, gateway with its broker, and devices publishing over MQTT.</summary>
internal sealed class PatientSide(IdentityKey key, string dataFolder, TimeSpan batchWindow, HealthBlock.Gateway.Live.LiveOptions? live = null) : IAsyncDisposable
{
    private readonly List<IMqttClient> _clients = [];

    public IdentityKey Key { get; } = key;

    public IdentityId Id => Key.Id;

    public GatewayService Gateway { get; private set; } = null!;

    public async Task StartGatewayAsync(ILedger ledger, HealthBlock.Storage.IContentStore store)
    {
        Gateway = await GatewayService.StartAsync(
            new GatewayOptions
            {
                DataFolder = dataFolder,
                MqttPort = 0,
                MqttBindAddress = IPAddress.Loopback,
                Gpio = null,
                Batching = new BatchOptions { Window = batchWindow, PollInterval = TimeSpan.FromMilliseconds(10) },
                Live = live,
            },
            Key,
            ledger,
            store,
            NullLoggerFactory.Instance);
    }

    /// <summary>Pairs a device and connects it to the gateway's broker.</summary>
    public async Task<TestDevice> PairAsync(ulong id)
    {
        var entry = Gateway.Pair(id);
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(DeviceTlsOptions.Builder("127.0.0.1", Gateway.MqttPort, "wearable-" + DeviceFrame.FormatDeviceId(id), Gateway.UplinkFor(entry).ToSecurity()).Build());
        _clients.Add(client);
        return new TestDevice(entry.Id, entry.Key, Id.ToString(), client);
    }

    /// <summary>The diagnosis key of each doctor the patient ever granted (the gateway's doctors table).</summary>
    public Func<IdentityId, byte[]?> DiagnosisKeys()
    {
        var keys = Gateway.Keys.Doctors().ToDictionary(d => d.Id, d => d.DiagnosisKey);
        return id => keys.GetValueOrDefault(id);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients)
        {
            c.Dispose();
        }

        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        Key.Dispose();
    }
}

/// <summary>A wearable: makes authenticated frames as the firmware does and publishes them with QoS 1.</summary>
internal sealed class TestDevice(ulong id, byte[] key, string patient, IMqttClient client)
{
    private uint _sequence;

    public ulong Id { get; } = id;

    public static byte[] Frame(ulong id, byte[] key, uint sequence, SensorKind kind, short[] samples, long timeMs, uint rateMilliHz, FrameFlags flags = FrameFlags.None)
    {
        var buffer = new byte[FrameLayout.FrameSize(samples.Length, 32)];
        FrameWriter.Write(buffer, 0, (byte)kind, (byte)flags, id, sequence, timeMs, rateMilliHz, samples, 0, samples.Length, 0, new HmacFrameMac(key), 32);
        return buffer;
    }

    /// <summary>Publishes a frame; returns its bytes once the gateway acknowledged it (journalled).</summary>
    public async Task<byte[]> PublishAsync(SensorKind kind, short[] samples, long timeMs, FrameFlags flags = FrameFlags.None)
    {
        var rate = kind == SensorKind.Ecg ? 250_000u : 100u;
        var frame = Frame(Id, key, _sequence++, kind, samples, timeMs, rate, flags);
        var topic = $"hb/{patient}/{DeviceFrame.FormatDeviceId(Id)}/{SensorKinds.TopicName(kind)}";
        var ack = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(frame).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        return frame;
    }
}


/// <summary>Writes log lines to the test output (xunit shows them for failed tests).</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished.
            }
        }
    }
}
