using System.Device.Gpio;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Admin;
using HealthBlock.Hosting;
using HealthBlock.Gateway.Batching;
using HealthBlock.Gateway.Devices;
using HealthBlock.Gateway.Gpio;
using HealthBlock.Gateway.Ingest;
using HealthBlock.Gateway.Journal;
using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Live;
using HealthBlock.Gateway.Mqtt;
using HealthBlock.Gateway.Store;
using HealthBlock.Ledger;
using HealthBlock.Storage;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway;

/// <summary>
/// The gateway service: takes the data folder's lock, opens the store, waits until an admin has registered the patient
/// (<see cref="PatientRegistration"/>), makes sure a key epoch
/// exists, starts the batcher, the MQTT ingest (embedded broker or external subscription) and the admin endpoint,
/// and keeps the status LED and the persisted rejection counters current.
/// </summary>
public sealed class GatewayService : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly DataFolderLock _lock;
    private Task? _housekeeping;
    private int _running;
    private Web.GatewayPatientRecords? _pageRecords;
    private MqttLivePublisher? _ownedPublisher;
    private int _disposed;

    private GatewayService(GatewayOptions options, IdentityKey patient, DataFolderLock folderLock, GatewayStore store, ILoggerFactory loggers)
    {
        Options = options;
        Patient = patient;
        _lock = folderLock;
        Store = store;
        Sealer = SecretSealer.Open(store, patient);
        _logger = loggers.CreateLogger("HealthBlock.Gateway");
        Devices = new DeviceRegistry(store, Sealer, options.Time);
        Journal = new FrameJournal(store, loggers.CreateLogger("HealthBlock.Gateway.Journal"));
        Ingestor = new FrameIngestor(patient.Id.ToString(), Devices, Journal, loggers.CreateLogger("HealthBlock.Gateway.Ingest"), options.Time);
        Rejections = new RejectionCounters(store, Ingestor);
        var alertLog = loggers.CreateLogger("HealthBlock.Gateway.Alerts");
        Alerts = AlertHub.Logging(alertLog);
        if (options.AlertEmail is { } email)
        {
            Alerts.Add(new SmtpAlertSink(email, alertLog));
        }

        FrameAlerts.Wire(Ingestor, Alerts, "gateway:" + patient.Id, options.NeighbourTablePath is { } table ? new NeighbourTable(table, time: options.Time) : null, options.Time);
        LimitHits = new LimitAlerts(Alerts, "gateway:" + patient.Id, options.MqttLimits.AlertInterval, options.Time);
    }

    /// <summary>True between a successful start and the stop.</summary>
    public bool Running => Volatile.Read(ref _running) == 1;

    /// <summary>Liveness and readiness for <c>/healthz</c>, <c>/readyz</c> and the watchdog.</summary>
    public GatewayRoleHealth Health => new(this);

    /// <summary>The options it runs with.</summary>
    public GatewayOptions Options { get; }

    /// <summary>The patient's identity.</summary>
    public IdentityKey Patient { get; }

    /// <summary>The store (the gateway's database).</summary>
    public GatewayStore Store { get; }

    /// <summary>Seals secrets at rest.</summary>
    public SecretSealer Sealer { get; }

    /// <summary>Paired devices.</summary>
    public DeviceRegistry Devices { get; }

    /// <summary>The frame journal.</summary>
    public FrameJournal Journal { get; }

    /// <summary>The ingest pipeline.</summary>
    public FrameIngestor Ingestor { get; }

    /// <summary>Refused frames by reason over all runs.</summary>
    public RejectionCounters Rejections { get; }

    /// <summary>
    /// The gateway's alert path: every refused frame that may be an attack (bad MAC, replay, unknown device, …) and every
    /// batch the ledger refuses for good is raised here with its source; sinks: the log, the alert LED, and e-mail when
    /// configured. Add sinks as needed.
    /// </summary>
    public AlertHub Alerts { get; }

    /// <summary>Signs and submits the patient's transactions (nonces counted in the store).</summary>
    public LedgerSubmitter Submitter { get; private set; } = null!;

    /// <summary>Key management.</summary>
    public PatientKeyManager Keys { get; private set; } = null!;

    /// <summary>The batcher.</summary>
    public Batcher Batcher { get; private set; } = null!;

    /// <summary>The statistics contributor, when <see cref="GatewayOptions.Statistics"/> is set.</summary>
    public Statistics.StatisticsContributor? Statistics { get; private set; }
    /// <summary>The live sealer, when <see cref="GatewayOptions.Live"/> is set.</summary>
    public LiveSealer? Live { get; private set; }

    /// <summary>The admin operations (what the admin endpoint serves).</summary>
    public IGatewayAdmin Admin { get; private set; } = null!;

    /// <summary>The admin endpoint, when it runs.</summary>
    public AdminEndpoint? AdminEndpoint { get; private set; }

    /// <summary>The embedded broker, when hosted.</summary>
    public EmbeddedBroker? Broker { get; private set; }

    /// <summary>The external-broker subscriber, when used.</summary>
    public ExternalBrokerIngest? External { get; private set; }

    /// <summary>The broker's TLS material (null with <see cref="GatewayOptions.MqttPlaintext"/>; with an external broker, what the gateway issued for Mosquitto).</summary>
    public BrokerCertificates? BrokerCertificates { get; private set; }

    /// <summary>Hits of the broker listener's limits, counted and alerted.</summary>
    public LimitAlerts LimitHits { get; }

    /// <summary>How paired devices reach the broker (pairing adds each device's credentials).</summary>
    public DeviceUplinkOptions Uplink { get; private set; } = DeviceUplinkOptions.Plaintext;

    /// <summary>GPIO, when configured.</summary>
    public GatewayGpio? Gpio { get; private set; }

    /// <summary>The patient page's listener, when <see cref="GatewayOptions.Web"/> is set.</summary>
    public HealthBlock.Web.PageServer? Pages { get; private set; }

    /// <summary>The embedded broker's port (0 with an external broker).</summary>
    public int MqttPort => Broker?.Port ?? 0;

    /// <summary>Starts a gateway.</summary>
    /// <exception cref="DataFolderInUseException">Another gateway (or a CLI command) works on the data folder.</exception>
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
        var folder = new GatewayDataFolder(options.DataFolder);
        var folderLock = folder.Lock();
        GatewayService service;
        try
        {
            service = new GatewayService(options, patient, folderLock, GatewayStore.Open(folder.Path), loggers);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }

        try
        {
            await service.StartPartsAsync(folder, ledger, store, loggers, gpioController, cancellationToken).ConfigureAwait(false);
            return service;
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartPartsAsync(GatewayDataFolder folder, ILedger ledger, IContentStore store, ILoggerFactory loggers, GpioController? gpioController, CancellationToken cancellationToken)
    {
        var time = Options.Time;
        var pinned = Store.Meta.Get(NetworkPin.Name);
        var network = await NetworkPin.ResolveAsync(ledger, pinned, b => Store.Meta.GetOrAdd(NetworkPin.Name, b), folder.Path, cancellationToken).ConfigureAwait(false);
        Submitter = new LedgerSubmitter(Patient, network, new StoreNonceCounter(Store), ledger, time, loggers.CreateLogger("HealthBlock.Gateway.Submitter"));
        Keys = new PatientKeyManager(Store, Sealer, Submitter, ledger, loggers.CreateLogger("HealthBlock.Gateway.Keys"), time);
        await PatientRegistration.WaitAsync(ledger, Patient.Public, _logger, time, Options.RegistrationPollInterval, cancellationToken).ConfigureAwait(false);
        await Submitter.SyncNonceAsync(cancellationToken).ConfigureAwait(false);
        await Keys.EnsureEpochAsync(cancellationToken).ConfigureAwait(false);

        if (Options.Gpio is { } gpio)
        {
            Gpio = new GatewayGpio(gpio, loggers.CreateLogger("HealthBlock.Gateway.Gpio"), gpioController, shouldDispose: gpioController is null, time);
            Gpio.PairingWindowOpened += ActivatePendingDevices;
            var led = Gpio;
            Alerts.Add(new CallbackAlertSink("alert-led", _ => led.Alert(), a => a.Severity >= AlertSeverity.Warning));
        }

        Options.Live?.Validate();
        var batching = Options.Live is { } live ? Options.Batching with { Window = live.Period } : Options.Batching;
        if (Options.Statistics is { } statistics)
        {
            // Made before the batcher: it reads the journal behind it and holds committed frames' readings until it has.
            Statistics = new Statistics.StatisticsContributor(Store, Submitter, ledger, statistics, loggers.CreateLogger("HealthBlock.Gateway.Statistics"), time);
        }

        Batcher = new Batcher(Store, Keys, Submitter, ledger, store, batching, loggers.CreateLogger("HealthBlock.Gateway.Batcher"), Alerts, time, live: Options.Live is not null);
        Ingestor.Accepted += (frame, _) => Batcher.NotifyJournalled(frame.Encoded.Length);
        GatewayObservation.Wire(this, _logger);
        Batcher.Start();
        Statistics?.Start();

        ExternalBrokerSetup? external = null;
        if (Options.ExternalBroker is not null)
        {
            external = ExternalBrokerSetup.Create(Options, folder.Path, Store, Sealer, Devices, Patient.Id.ToString(), loggers.CreateLogger("HealthBlock.Gateway.Mqtt"));
            BrokerCertificates = external.Certificates;
            Uplink = external.Uplink;
        }
        else if (!Options.MqttPlaintext)
        {
            BrokerCertificates = BrokerCertificates.LoadOrCreate(folder.Path, Options.MqttServerNames, time);
            Uplink = DeviceUplinkOptions.Tls(BrokerCertificates.CaCertificateDer, BrokerCertificates.ServerNames);
        }

        Store.Meta.Set(BrokerTransport.MetaName, BrokerTransport.Encode(Uplink.IsPlaintext));
        Admin = new LocalGatewayAdmin(Patient.Id, Store, Devices, Keys, ledger, running: true, Uplink, Options.RequirePairingButton, Rejections.Totals);
        if (Options.AdminPort is { } adminPort)
        {
            AdminEndpoint = await AdminEndpoint.StartAsync(folder, adminPort, Admin, Patient.Public, loggers, time, Health, cancellationToken).ConfigureAwait(false);
        }

        if (Options.Web is { } web)
        {
            _pageRecords = new Web.GatewayPatientRecords(this, ledger, store, web);
            Pages = await HealthBlock.Web.PageServer.StartPatientAsync(_pageRecords, new HealthBlock.Web.Login.PageLogin(Patient.Id, web.KeyFile, web.Tokens), web.Port, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Patient page on {Url}", Pages.PageUrl);
        }

        if (external is not null)
        {
            External = new ExternalBrokerIngest(Ingestor, external.Link, Patient.Id.ToString(), "hb-gateway-" + Patient.Id, loggers.CreateLogger("HealthBlock.Gateway.Mqtt"), time);
            await External.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var guards = new BrokerGuards(BrokerCertificates?.Server, Devices.CheckLogin, Options.MqttLimits, LimitHits);
            Broker = new EmbeddedBroker(Ingestor, Options.MqttPort, Options.MqttBindAddress, loggers.CreateLogger("HealthBlock.Gateway.Mqtt"), guards);
            await Broker.StartAsync().ConfigureAwait(false);
            _logger.LogInformation("Gateway of patient {Patient}: MQTT broker on port {Port} ({Transport})", Patient.Id, Broker.Port, Broker.Encrypted ? "TLS, certificate for " + string.Join(", ", BrokerCertificates!.ServerNames) : "PLAINTEXT, as asked");
        }

        if (Options.Live is { } liveOptions)
        {
            var liveLog = loggers.CreateLogger("HealthBlock.Gateway.Live");
            ILivePublisher publisher = liveOptions.Broker is not null
                ? _ownedPublisher = new MqttLivePublisher(liveOptions.BrokerLink(), "hb-live-" + Patient.Id, liveLog, time)
                : External is { } externalIngest ? _ownedPublisher = new MqttLivePublisher(externalIngest.Client, liveLog, time) : Broker!;
            Live = new LiveSealer(Store, Keys, publisher, liveOptions, liveLog, time);
            Ingestor.Accepted += (_, _) => Live.NotifyJournalled();
            Live.Start();
        }

        _housekeeping = Task.Run(HousekeepingAsync);
        Volatile.Write(ref _running, 1);
    }

    /// <summary>Pairs a device (pending when the pairing button is required) and returns its entry.</summary>
    /// <exception cref="DeviceAlreadyPairedException">It is paired already and <paramref name="replace"/> is false.</exception>
    public DeviceEntry Pair(ulong deviceId, bool replace = false) =>
        Devices.Pair(deviceId, Options.RequirePairingButton ? DeviceState.Pending : DeviceState.Active, replace);

    /// <summary>How the device <paramref name="entry"/> (as <see cref="Pair"/> returned it) reaches the broker: TLS and its CA, and its credentials.</summary>
    public DeviceUplinkOptions UplinkFor(DeviceEntry entry) => Uplink.ForDevice(entry);

    /// <summary>A status snapshot.</summary>
    public GatewayStatus Status() => new(
        Patient.Id.ToString(),
        MqttPort,
        Ingestor.AcceptedCount,
        Batcher.Backlog(),
        Batcher.CommittedBatches,
        Batcher.CommittedFrames,
        Ingestor.Rejections,
        Batcher.Degraded,
        Batcher.RefusedBatches);

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
        var tick = 0;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), Options.Time, _stop.Token).ConfigureAwait(false);
                tick++;
                Gpio?.SetHealth(Batcher.Degraded || Batcher.Backlog() > 10_000 ? GatewayHealth.Backlog : GatewayHealth.Healthy);
                if (tick % 4 == 0)
                {
                    Rejections.Save();
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

        Rejections.Save();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Volatile.Write(ref _running, 0);
        GatewayMetrics.Forget(Patient.Id.ToString());
        await _stop.CancelAsync().ConfigureAwait(false);
        if (Pages is not null)
        {
            await Pages.DisposeAsync().ConfigureAwait(false);
        }

        _pageRecords?.Dispose();
        if (Live is not null)
        {
            await Live.DisposeAsync().ConfigureAwait(false);
        }

        _ownedPublisher?.Dispose();
        if (AdminEndpoint is not null)
        {
            await AdminEndpoint.DisposeAsync().ConfigureAwait(false);
        }

        if (Broker is not null)
        {
            await Broker.DisposeAsync().ConfigureAwait(false);
        }

        if (External is not null)
        {
            await External.DisposeAsync().ConfigureAwait(false);
        }

        if (_housekeeping is not null)
        {
            await _housekeeping.ConfigureAwait(false);
        }

        if (Batcher is not null)
        {
            await Batcher.DisposeAsync().ConfigureAwait(false);
        }

        if (Statistics is not null)
        {
            await Statistics.DisposeAsync().ConfigureAwait(false);
        }

        await Journal.DisposeAsync().ConfigureAwait(false);
        LimitHits.Dispose();
        await Alerts.DisposeAsync().ConfigureAwait(false);
        BrokerCertificates?.Dispose();
        Gpio?.Dispose();
        Store.Dispose();
        _lock.Dispose();
        _stop.Dispose();
    }
}
