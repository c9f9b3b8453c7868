using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using HealthBlock.Accounting;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Doctor;
using HealthBlock.Gateway;
using HealthBlock.Gateway.Mqtt;
using HealthBlock.Gateway.Batching;
using HealthBlock.Wearable.Simulation.Ecg;
using HealthBlock.Wearable.Simulation.Wearable;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;
using HealthBlock.Storage.Embedded;
using HealthBlock.Storage.Ipfs;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Devnet;

/// <summary>
/// Runs the whole system in one process: accounting node(s), content store, one gateway (with its broker) per
/// patient, emulated wearables, doctor nodes; registers identities, issues Healthcoin, pays and grants doctors,
/// revokes one doctor from one patient half-way, then audits everything and reports.
/// </summary>
public sealed class DevnetRunner
{
    private readonly DevnetOptions _options;
    private readonly IDevnetView _view;
    private readonly ILoggerFactory _loggers;
    private readonly ConcurrentBag<double> _latencies = [];
    private AlertHub? _alerts;
    private readonly ConcurrentDictionary<string, string> _findings = new();
    private long _diagnosisEvents;
    private DevnetStatistics? _stats;
    private IdentityKey? _statsRequester;
    private DevnetLivePath? _live;
    private string _replicaFolder = "";
    private (long Replica, long Raft) _replicaBytesAtStart;

    /// <summary>Creates the runner.</summary>
    public DevnetRunner(DevnetOptions options, IDevnetView view, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _view = view;
        _loggers = loggers;
    }

    /// <summary>Runs until the configured time passes or <paramref name="cancellationToken"/> fires, then reports.</summary>
    public async Task<DevnetReport> RunAsync(CancellationToken cancellationToken)
    {
        var data = _options.DataFolder ?? Path.Combine(Path.GetTempPath(), "healthblock-devnet-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        try
        {
            return await RunInAsync(Path.GetFullPath(data), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (_options.DataFolder is null)
            {
                DevnetSteps.TryDelete(data);
            }
        }
    }

    private async Task<DevnetReport> RunInAsync(string data, CancellationToken cancellationToken)
    {
        var o = _options;
        var recordedEcg = DevnetSignals.LoadRecordedEcg();
        _view.Step($"data folder {data}");
        _view.Step($"starting {o.Nodes} accounting node(s)");
        var alertLog = _loggers.CreateLogger("HealthBlock.Devnet.Alerts");
        var alerts = _alerts = AlertHub.Logging(alertLog);
        await using var alertsScope = alerts.ConfigureAwait(false);
        var cluster = await LocalCluster.StartAsync(o.Nodes, new LocalClusterOptions
        {
            RootDirectory = Path.Combine(data, "ledger"),
            DiagnosisFee = o.DiagnosisFee,
            LoggerFactory = _loggers,
            Alerts = alerts,
        }, cancellationToken).ConfigureAwait(false);
        await using var clusterScope = cluster.ConfigureAwait(false);
        var ledger = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        _replicaFolder = Path.Combine(data, "ledger", "node-1");
        var live = _live = o.LivePath ? await DevnetLivePath.StartAsync(o, Path.Combine(data, "live-broker")).ConfigureAwait(false) : null;
        try
        {
            return await RunOnLedgerAsync(data, cluster, ledger, recordedEcg, live, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (live is not null)
            {
                await live.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<DevnetReport> RunOnLedgerAsync(string data, LocalCluster cluster, AccountingNode ledger, ResampledEcgSource recordedEcg, DevnetLivePath? live, CancellationToken cancellationToken)
    {
        var o = _options;
        var store = OpenStore(data);
        var admin = new TransactionSigner(cluster.Admin, cluster.Genesis.NetworkId);
        var pages = new DevnetPages(o, data, ledger, store);
        await using var pagesScope = pages.ConfigureAwait(false);

        _view.Step($"registering {o.Doctors} doctor(s)");
        var doctorKeys = Enumerable.Range(0, o.Doctors).Select(_ => IdentityKey.Generate()).ToArray();
        await DevnetSteps.SubmitInOrderAsync(ledger, doctorKeys.Select((d, i) => admin.Sign(RegisterPayload.For(d.Public, Role.Doctor, $"doctor-{i + 1}"))), cancellationToken).ConfigureAwait(false);

        if (o.Stats)
        {
            _statsRequester = doctorKeys[0];
            _view.Step("registering the statistics identity and publishing its Paillier key");
            _stats = await DevnetStatistics.StartAsync(ledger, admin, o.PatientCount, o.StatsPeriod, cancellationToken).ConfigureAwait(false);
        }

        using var statsScope = _stats;
        _view.Step(live is null ? $"starting {o.PatientCount} gateway(s) (user nodes), each with its MQTT broker" : $"starting {o.PatientCount} gateway(s) (user nodes) on the shared broker {live.Broker}");
        var patients = Enumerable.Range(0, o.PatientCount).Select(_ => IdentityKey.Generate()).ToArray();
        var gateways = new GatewayService[patients.Length];

        // The admin registers every patient (nobody registers itself) before its gateway starts.
        await DevnetSteps.SubmitInOrderAsync(ledger, patients.Select((p, i) => admin.Sign(RegisterPayload.For(p.Public, Role.Patient, $"patient-{i + 1}"))), cancellationToken).ConfigureAwait(false);
        var external = live?.Broker ?? (o.Mqtt == "embedded" ? null : new Uri(o.Mqtt));
        for (var i = 0; i < patients.Length; i++)
        {
            gateways[i] = await GatewayService.StartAsync(
                new GatewayOptions
                {
                    DataFolder = Path.Combine(data, "gateways", $"patient-{i + 1}"),
                    MqttPort = 0,
                    MqttBindAddress = IPAddress.Loopback,
                    ExternalBroker = external,

                    // devnet's shared broker speaks TLS against the devnet CA; only a --mqtt mqtt:// URL is plaintext, by choice.
                    ExternalBrokerCa = live?.AuthorityFile,
                    MqttPlaintext = external is { Scheme: "mqtt" or "tcp" },
                    Gpio = null,
                    Batching = new BatchOptions { Window = o.BatchWindow },
                    Statistics = _stats?.GatewayOptions,
                    Web = pages.ForPatient(patients[i], $"patient-{i + 1}", i),
                    Live = live?.Gateway,
                    AdminPort = null, // devnet drives the gateways in process; a thousand Kestrel hosts would exhaust inotify instances

                    // Every emulated wearable dials from 127.0.0.1: room for all of them on one address.
                    MqttLimits = new MqttListenerLimits { MaxConnections = o.Wearables + 64, MaxConnectionsPerAddress = o.Wearables + 16 },
                },
                patients[i],
                ledger,
                store,
                _loggers,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (gateways[i].Live is { } sealer)
            {
                live!.Stages.Watch(sealer);
            }
        }

        try
        {
            _view.Step("issuing Healthcoin, paying and granting every doctor");
            await DevnetSteps.SubmitInOrderAsync(ledger, patients.Select(p => admin.Sign(new IssuePayload(p.Id, 1_000_000_000))), cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(gateways.Select(async g =>
            {
                foreach (var d in doctorKeys)
                {
                    await g.Keys.PayAsync(d.Id, 1_000_000, cancellationToken).ConfigureAwait(false);
                    await g.Keys.GrantAsync(d.Id, cancellationToken).ConfigureAwait(false);
                }
            })).ConfigureAwait(false);

            if (_stats is not null)
            {
                await _stats.OptInAsync(gateways, cancellationToken).ConfigureAwait(false);
            }

            _view.Step($"starting {o.Doctors} doctor node(s)");
            var doctors = new DoctorNode[doctorKeys.Length];
            for (var j = 0; j < doctorKeys.Length; j++)
            {
                doctors[j] = await DoctorNode.StartAsync(new DoctorNodeOptions { DataFolder = Path.Combine(data, "doctors", $"doctor-{j + 1}"), EcgContext = o.EcgContext, Alerts = _alerts, Live = live?.Doctor }, doctorKeys[j], ledger, store, _loggers, cancellationToken).ConfigureAwait(false);
                doctors[j].DiagnosisCommitted += OnDiagnosis;
                live?.Watch(doctors[j]);
            }

            await pages.StartDoctorsAsync(doctorKeys, j => Path.Combine(data, "doctors", $"doctor-{j + 1}"), cancellationToken).ConfigureAwait(false);
            foreach (var line in pages.Links(gateways))
            {
                _view.Step(line);
            }

            try
            {
                return await StreamAndReportAsync(recordedEcg, cluster, ledger, store, gateways, doctors, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                foreach (var d in doctors)
                {
                    await d.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            foreach (var g in gateways)
            {
                await g.DisposeAsync().ConfigureAwait(false);
            }

            (store as IDisposable)?.Dispose();
            foreach (var k in doctorKeys.Concat(patients))
            {
                k.Dispose();
            }
        }
    }

    private void OnDiagnosis(object? sender, DiagnosisCommittedEventArgs e)
    {
        Interlocked.Increment(ref _diagnosisEvents);
        _latencies.Add(e.Latency.TotalMilliseconds);
    }

    private async Task<DevnetReport> StreamAndReportAsync(ResampledEcgSource recordedEcg, LocalCluster cluster, AccountingNode ledger, IContentStore store, GatewayService[] gateways, DoctorNode[] doctors, CancellationToken cancellationToken)
    {
        var o = _options;
        _view.Step($"pairing and starting {o.Wearables} emulated wearable(s)");
        var fleet = new WearableFleet();
        await using var fleetScope = fleet.ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var devicesOf = new List<ulong>[gateways.Length];
        for (var p = 0; p < gateways.Length; p++)
        {
            devicesOf[p] = [];
        }

        for (var i = 0; i < o.Wearables; i++)
        {
            var p = i % gateways.Length;
            var gateway = gateways[p];
            var entry = gateway.Pair(0x4842_0000_0000_0000UL + (ulong)i + 1);
            devicesOf[p].Add(entry.Id);
            var broker = _live?.Broker ?? (o.Mqtt == "embedded" ? null : new Uri(o.Mqtt));
            var (host, port) = gateway.External is null || broker is null ? ("127.0.0.1", gateway.MqttPort) : (broker.Host, broker.Port);
            var options = new EmulatedWearableOptions
            {
                DeviceId = entry.Id,
                Patient = gateway.Patient.Id.ToString(),
                Key = entry.Key,
                BrokerHost = host,
                BrokerPort = port,
                Security = gateway.External is null || HealthBlock.Gateway.Mqtt.ExternalBrokerLink.IsTlsUrl(broker!) ? gateway.UplinkFor(entry).ToSecurity() : null,
                Ecg = _live is not null && i == 0 ? AlarmInjection.PauseRhythm : DevnetSignals.EcgFor(i, recordedEcg),
                BodyTemperatureCelsius = _live is not null && i == 1 ? AlarmInjection.FeverCelsius : i % 4 == 3 ? 38.4 : 36.8,
                BloodPressure = _live is not null && i == 2 ? AlarmInjection.CrisisPressure : (i % 3) switch { 0 => (118, 76, 68), 1 => (134, 86, 74), _ => (146, 94, 80) },
                VirtualStartMs = now,
                Settings = new HealthBlock.Wearable.Sampling.WearableSettings
                {
                    EcgSamplesPerFrame = (int)Math.Round(o.EcgFrame.TotalSeconds * 250),
                    TemperatureIntervalMs = 10_000,
                    BloodPressureIntervalMs = 20_000,
                    QueueCapacity = 600,
                },
            };
            fleet.Add(options, new MqttNetUplink(host, port, "wearable-" + entry.Id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), options.Security));
        }

        _replicaBytesAtStart = (DevnetLivePath.FolderBytes(_replicaFolder), DevnetLivePath.FolderBytes(Path.Combine(_replicaFolder, "raft")));
        fleet.Start(Math.Clamp(o.Wearables / 40, 2, 24));
        var clock = Stopwatch.StartNew();
        var revoked = (Doctor: doctors[0].Id, Patient: gateways[0].Patient.Id, AtMs: 0L, Epoch: 0u);
        var revokeTask = Task.CompletedTask;
        long lastJournalled = 0;
        var duration = o.Seconds == 0 ? TimeSpan.MaxValue : TimeSpan.FromSeconds(o.Seconds);
        try
        {
            while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(1000, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                if (revoked.AtMs == 0 && revokeTask.IsCompleted && o.Seconds > 0 && clock.Elapsed >= duration / 2)
                {
                    revokeTask = Task.Run(async () =>
                    {
                        var epoch = await gateways[0].Keys.RevokeAsync(revoked.Doctor, CancellationToken.None).ConfigureAwait(false);
                        revoked = revoked with { AtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Epoch = epoch.Epoch };
                    }, CancellationToken.None);
                    _view.Step($"half-way: patient-1 revokes doctor-1 (new IoT key)");
                }

                var journalled = gateways.Sum(g => g.Ingestor.AcceptedCount);
                _view.Tick(await SnapshotAsync(ledger, gateways, fleet, clock.Elapsed, "streaming", journalled - lastJournalled, store).ConfigureAwait(false));
                lastJournalled = journalled;
            }
        }
        finally
        {
            await revokeTask.ConfigureAwait(false);
        }

        var streamed = clock.Elapsed;
        _view.Step("stopping the wearables and draining their queues");
        await fleet.StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        _view.Step("waiting for the gateways' backlogs and the doctors to catch up");
        await DevnetSteps.WaitAsync(() => gateways.All(g => g.Batcher.Backlog() == 0), TimeSpan.FromSeconds(90)).ConfigureAwait(false);
        await DevnetSteps.WaitForDoctorsAsync(ledger, doctors, _live is not null).ConfigureAwait(false);
        _view.Tick(await SnapshotAsync(ledger, gateways, fleet, streamed, "auditing", 0, store).ConfigureAwait(false));

        _view.Step("auditing both chains and the store");
        var report = await new DevnetReportBuilder(_options, _latencies.ToArray(), [.. gateways.Select(g => g.Alerts).Append(_alerts).OfType<AlertHub>()])
            .BuildAsync(ledger, store, gateways, fleet, devicesOf, revoked, streamed).ConfigureAwait(false);
        if (_stats is not null)
        {
            _view.Step("waiting for the gateways' last statistics periods, then asking for the cohort's mean heart rate");
            await _stats.WaitForContributionsAsync(gateways).ConfigureAwait(false);
            report = report with { Statistics = await _stats.ReportAsync(gateways, _statsRequester!, store, cancellationToken).ConfigureAwait(false) };
        }

        report = DevnetLiveReport.Add(report, _live, _replicaFolder, _replicaBytesAtStart, gateways.Length, streamed);
        if (o.FhirFolder is { } fhir)
        {
            _view.Step($"exporting every patient's records as FHIR R4 Bundles into {fhir}");
            var (files, skipped) = await DevnetFhirExport.WriteAsync(gateways, ledger, store, fhir, cancellationToken).ConfigureAwait(false);
            report = report with { FhirBundles = files, FhirSkipped = skipped };
        }

        _view.Finished(report);
        return report;
    }

    private async Task<DevnetSnapshot> SnapshotAsync(AccountingNode ledger, GatewayService[] gateways, WearableFleet fleet, TimeSpan elapsed, string phase, long framesLastSecond, IContentStore store)
    {
        var status = await ledger.GetStatusAsync().ConfigureAwait(false);
        var latencies = _latencies.ToArray();
        var l = LatencyReport.Of(latencies);
        await RefreshFindingsAsync(ledger, store, gateways).ConfigureAwait(false);
        return new DevnetSnapshot(
            elapsed,
            phase,
            framesLastSecond,
            fleet.FramesAcked,
            gateways.Sum(g => g.Batcher.Backlog()),
            status.BlockCount(ChainId.Userchain),
            status.BlockCount(ChainId.Docchain),
            Interlocked.Read(ref _diagnosisEvents),
            gateways.Sum(g => g.Ingestor.Rejections.Values.Sum()),
            l.P50,
            l.P99,
            [.. _findings.OrderBy(f => f.Key).Select(f => (f.Key, f.Value))]);
    }

    private long _findingsRefreshed;

    private async Task RefreshFindingsAsync(ILedger ledger, IContentStore store, GatewayService[] gateways)
    {
        if (Environment.TickCount64 - _findingsRefreshed < 3000)
        {
            return;
        }

        _findingsRefreshed = Environment.TickCount64;
        for (var p = 0; p < Math.Min(gateways.Length, 8); p++)
        {
            var keys = gateways[p].Keys.Doctors().ToDictionary(d => d.Id, d => d.DiagnosisKey);
            var latest = (await PatientDiagnosisReader.ReadAsync(ledger, store, gateways[p].Patient.Id, id => keys.GetValueOrDefault(id)).ConfigureAwait(false))
                .LastOrDefault(d => d.Document?.Analysis is not null);
            if (latest?.Document?.Analysis is { } analysis)
            {
                var finding = analysis.Findings.OrderByDescending(f => f.Severity).FirstOrDefault();
                _findings[$"patient-{p + 1}"] = finding?.Text ?? "no finding";
            }
        }
    }

    private IContentStore OpenStore(string data) => _options.Store == "embedded"
        ? new EmbeddedContentStore(Path.Combine(data, "store"))
        : new IpfsContentStore(new IpfsContentStoreOptions { ApiUri = new Uri(_options.Store) });
}
