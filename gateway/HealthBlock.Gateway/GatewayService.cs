using System.Device.Gpio;
using System.Net;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Batching;
using HealthBlock.Gateway.Gpio;
using HealthBlock.Gateway.Ingest;
using HealthBlock.Gateway.Journal;
using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Mqtt;
using HealthBlock.Ledger;
using HealthBlock.Storage;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway;

/// <summary>How a gateway runs.</summary>
public sealed record GatewayOptions
{
    /// <summary>The data folder (database, keys).</summary>
    public required string DataFolder { get; init; }

    /// <summary>Port of the embedded broker (0 = chosen by the OS). Ignored with <see cref="ExternalBroker"/>.</summary>
    public int MqttPort { get; init; } = 1883;

    /// <summary>Address the embedded broker binds (default: all interfaces).</summary>
    public IPAddress? MqttBindAddress { get; init; }

    /// <summary>An external broker (mqtt://host:port) to subscribe to instead of hosting one.</summary>
    public Uri? ExternalBroker { get; init; }

    /// <summary>Display name used when the patient registers itself.</summary>
    public string PatientName { get; init; } = "patient";

    /// <summary>When true, newly paired devices stay pending until the pairing button is pressed.</summary>
    public bool RequirePairingButton { get; init; }

    /// <summary>Batching.</summary>
    public BatchOptions Batching { get; init; } = new();

    /// <summary>GPIO pins; null disables GPIO.</summary>
    public GpioOptions? Gpio { get; init; } = new();

    /// <summary>E-mail for tamper alerts (rate-limited); null: alerts are logged (and lit on the alert LED) only.</summary>
    public SmtpAlertOptions? AlertEmail { get; init; }

    /// <summary>
    /// The kernel's IPv4 neighbour table, read to name the MAC address of a client on the gateway's network in its
    /// alerts (see <see cref="NeighbourTable"/>); null never looks MAC addresses up.
    /// </summary>
    public string? NeighbourTablePath { get; init; } = NeighbourTable.DefaultPath;
}

/// <summary>A snapshot of the gateway for status displays.</summary>
/// <param name="Patient">The patient id.</param>
/// <param name="MqttPort">The embedded broker's port (0 with an external broker).</param>
/// <param name="FramesAccepted">Frames journalled since start.</param>
/// <param name="Backlog">Frames not yet in a committed batch.</param>
/// <param name="BatchesCommitted">Batches committed since start.</param>
/// <param name="FramesCommitted">Frames in committed batches since start.</param>
/// <param name="Rejections">Refused frames by reason, since start.</param>
/// <param name="Degraded">True while store or ledger failures are being retried.</param>
public sealed record GatewayStatus(string Patient, int MqttPort, long FramesAccepted, long Backlog, long BatchesCommitted, long FramesCommitted, IReadOnlyDictionary<RejectionReason, long> Rejections, bool Degraded);

/// <summary>
/// The gateway service: opens the database, registers the patient, makes sure a key epoch exists, starts the batcher,
/// then the MQTT ingest (embedded broker or external subscription), and keeps the status LED and the persisted
/// rejection counters current.
/// </summary>
public sealed class GatewayService : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _housekeeping;

    private GatewayService(GatewayOptions options, IdentityKey patient, GatewayDatabase database, SecretSealer sealer, ILoggerFactory loggers)
    {
        Options = options;
        Patient = patient;
        Database = database;
        Sealer = sealer;
        _logger = loggers.CreateLogger("HealthBlock.Gateway");
        Devices = new DeviceRegistry(database, sealer);
        Journal = new FrameJournal(database, loggers.CreateLogger("HealthBlock.Gateway.Journal"));
        Ingestor = new FrameIngestor(patient.Id.ToString(), Devices, Journal, loggers.CreateLogger("HealthBlock.Gateway.Ingest"));
        var alertLog = loggers.CreateLogger("HealthBlock.Gateway.Alerts");
        Alerts = AlertHub.Logging(alertLog);
        if (options.AlertEmail is { } email)
        {
            Alerts.Add(new SmtpAlertSink(email, alertLog));
        }

        FrameAlerts.Wire(Ingestor, Alerts, "gateway:" + patient.Id, options.NeighbourTablePath is { } table ? new NeighbourTable(table) : null);
    }

    /// <summary>The options it runs with.</summary>
    public GatewayOptions Options { get; }

    /// <summary>The patient's identity.</summary>
    public IdentityKey Patient { get; }

    /// <summary>The database.</summary>
    public GatewayDatabase Database { get; }

    /// <summary>Seals secrets at rest.</summary>
    public SecretSealer Sealer { get; }

    /// <summary>Paired devices.</summary>
    public DeviceRegistry Devices { get; }

    /// <summary>The frame journal.</summary>
    public FrameJournal Journal { get; }

    /// <summary>The ingest pipeline.</summary>
    public FrameIngestor Ingestor { get; }

    /// <summary>
    /// The gateway's alert path: every refused frame that may be an attack (bad MAC, replay, unknown device, …) is
    /// raised here with its source; sinks: the log, the alert LED, and e-mail when configured. Add sinks as needed.
    /// </summary>
    public AlertHub Alerts { get; }

    /// <summary>Key management.</summary>
    public PatientKeyManager Keys { get; private set; } = null!;

    /// <summary>The batcher.</summary>
    public Batcher Batcher { get; private set; } = null!;

    /// <summary>The embedded broker, when hosted.</summary>
    public EmbeddedBroker? Broker { get; private set; }

    /// <summary>The external-broker subscriber, when used.</summary>
    public ExternalBrokerIngest? External { get; private set; }

    /// <summary>GPIO, when configured.</summary>
    public GatewayGpio? Gpio { get; private set; }

    /// <summary>The embedded broker's port (0 with an external broker).</summary>
    public int MqttPort => Broker?.Port ?? 0;

    /// <summary>Starts a gateway.</summary>
    public static async Task<GatewayService> StartAsync(
        GatewayOptions options,
        IdentityKey patient,
        ILedger ledger,
        IContentStore store,
        ILoggerFactory loggers,
        GpioController? gpioController = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(loggers);
        var database = GatewayDatabase.Open(options.DataFolder);
        var service = new GatewayService(options, patient, database, SecretSealer.Open(database, patient), loggers);
        try
        {
            await service.StartPartsAsync(ledger, store, loggers, gpioController, cancellationToken);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    private async Task StartPartsAsync(ILedger ledger, IContentStore store, ILoggerFactory loggers, GpioController? gpioController, CancellationToken cancellationToken)
    {
        var signer = new PatientSigner(Patient, Database, ledger, loggers.CreateLogger("HealthBlock.Gateway.Signer"));
        Keys = new PatientKeyManager(Database, Sealer, signer, ledger, loggers.CreateLogger("HealthBlock.Gateway.Keys"));
        await signer.EnsureRegisteredAsync(Options.PatientName, cancellationToken);
        await Keys.EnsureEpochAsync(cancellationToken);

        if (Options.Gpio is { } gpio)
        {
            Gpio = new GatewayGpio(gpio, loggers.CreateLogger("HealthBlock.Gateway.Gpio"), gpioController, shouldDispose: gpioController is null);
            Gpio.PairingWindowOpened += ActivatePendingDevices;
            var led = Gpio;
            Alerts.Add(new CallbackAlertSink("alert-led", _ => led.Alert(), a => a.Severity >= AlertSeverity.Warning));
        }

        Batcher = new Batcher(Database, Keys, signer, store, Options.Batching, loggers.CreateLogger("HealthBlock.Gateway.Batcher"));
        Batcher.Start();

        if (Options.ExternalBroker is { } uri)
        {
            External = new ExternalBrokerIngest(Ingestor, uri, Patient.Id.ToString(), "hb-gateway-" + Patient.Id, loggers.CreateLogger("HealthBlock.Gateway.Mqtt"));
            await External.StartAsync(cancellationToken);
        }
        else
        {
            Broker = new EmbeddedBroker(Ingestor, Options.MqttPort, Options.MqttBindAddress, loggers.CreateLogger("HealthBlock.Gateway.Mqtt"));
            await Broker.StartAsync();
            _logger.LogInformation("Gateway of patient {Patient}: MQTT broker on port {Port}", Patient.Id, Broker.Port);
        }

        _housekeeping = Task.Run(HousekeepingAsync);
    }

    /// <summary>Pairs a device (pending when the pairing button is required) and returns its entry.</summary>
    public DeviceEntry Pair(ulong deviceId) =>
        Devices.Pair(deviceId, Options.RequirePairingButton ? DeviceState.Pending : DeviceState.Active);

    /// <summary>A status snapshot.</summary>
    public GatewayStatus Status() => new(
        Patient.Id.ToString(),
        MqttPort,
        Ingestor.AcceptedCount,
        Batcher.Backlog(),
        Batcher.CommittedBatches,
        Batcher.CommittedFrames,
        Ingestor.Rejections,
        Batcher.Degraded);

    private void ActivatePendingDevices()
    {
        foreach (var device in Devices.Devices.Where(d => d.State == DeviceState.Pending))
        {
            Devices.SetState(device.Id, DeviceState.Active);
            _logger.LogInformation("Device {Device} activated by the pairing button", Protocol.Frames.DeviceFrame.FormatDeviceId(device.Id));
        }
    }

    private async Task HousekeepingAsync()
    {
        var counters = new RejectionCounterStore(Database);
        var tick = 0;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(250, _stop.Token);
                tick++;
                Gpio?.SetHealth(Batcher.Degraded || Batcher.Backlog() > 10_000 ? GatewayHealth.Backlog : GatewayHealth.Healthy);
                if (tick % 4 == 0)
                {
                    counters.Save(Ingestor.Rejections);
                }

                if (tick % 8 == 0)
                {
                    Devices.Reload();
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                _logger.LogWarning("Housekeeping failed: {Message}", e.Message);
            }
        }

        counters.Save(Ingestor.Rejections);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        if (External is not null)
        {
            await External.DisposeAsync();
        }

        if (_housekeeping is not null)
        {
            await _housekeeping;
        }

        if (Batcher is not null)
        {
            await Batcher.DisposeAsync();
        }

        await Journal.DisposeAsync();
        await Alerts.DisposeAsync();
        Gpio?.Dispose();
        Database.Dispose();
        _stop.Dispose();
    }
}
