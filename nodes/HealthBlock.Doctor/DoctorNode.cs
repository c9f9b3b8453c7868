using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Credit;
using HealthBlock.Doctor.Diagnosing;
using HealthBlock.Doctor.Following;
using HealthBlock.Doctor.Lanes;
using HealthBlock.Doctor.Live;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;
using HealthBlock.Doctor.Submitting;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Doctor;

/// <summary>
/// The doctor node. It follows Userchain from a persisted cursor and, for each block, in one database transaction:
/// opens the envelopes of key transactions naming this doctor (keeping the IoT and diagnosis keys by patient and
/// epoch, sealed at rest), notes revocations, records the IoT transactions of the patients it serves (idempotent by
/// transaction id) and the payments to it; then moves the cursor. Per patient, in ledger order, and for several
/// patients in parallel, it checks the credit it tracks from the chains, fetches and decrypts the batches, analyses
/// them, seals a <see cref="DiagnosisDocument"/> under the diagnosis key (<see cref="SealedDiagnosis"/>), stores it,
/// signs a diagnosis transaction, persists it, submits it and waits for its commit in the background, so that the
/// next batch does not wait for the previous commit. A restart resumes from the cursor, resubmits persisted
/// transactions and never covers an IoT transaction twice. An envelope that does not open, a stored block that does not
/// hash to its CID and a batch that does not authenticate under its patient's key and AAD each raise one alert on
/// <see cref="Alerts"/> (<see cref="AlertKind.DecryptionFailed"/> or <see cref="AlertKind.StoreTampered"/>) naming the
/// patient, the transaction and the CID.
/// </summary>
/// <remarks>
/// The node coordinates small parts (see the project's README): <see cref="UserchainFollower"/>,
/// <see cref="DocchainReconciler"/>, <see cref="PatientCredit"/>, <see cref="PatientLanes"/>,
/// <see cref="PatientDiagnoser"/> (with <see cref="BatchOpener"/> and <see cref="DiagnosisComposer"/>) and
/// <see cref="DiagnosisSubmitter"/> (with <see cref="DiagnosisJournal"/> and <see cref="DiagnosisOutcomes"/>).
/// </remarks>
public sealed class DoctorNode : IAsyncDisposable
{
    private readonly IdentityKey _doctor;
    private readonly ILedger _ledger;
    private readonly DoctorNodeOptions _options;
    private readonly ILogger _log;
    private readonly DoctorDatabase _db;
    private readonly bool _ownsAlerts;
    private readonly BackgroundWork _work;
    private readonly NodeCounters _counters;
    private readonly PatientCredit _credit;
    private readonly DocchainReconciler _reconciler;
    private readonly DiagnosisJournal _journal;
    private readonly DiagnosisSubmitter _submitter;
    private readonly PatientLanes _lanes;
    private readonly UserchainFollower _follower;
    private readonly LiveMonitor? _liveMonitor;
    private readonly LiveSubscriber? _liveSubscriber;
    private int _started;
    private int _disposed;

    private DoctorNode(DoctorNodeOptions options, IdentityKey doctor, ILedger ledger, IContentStore store, ILoggerFactory loggers, DoctorDatabase db, LocalSealer sealer)
    {
        _options = options;
        _doctor = doctor;
        _ledger = ledger;
        _db = db;
        _log = loggers.CreateLogger("HealthBlock.Doctor");
        _ownsAlerts = options.Alerts is null;
        Alerts = options.Alerts ?? AlertHub.Logging(loggers.CreateLogger("HealthBlock.Doctor.Alerts"));

        var time = options.Time;
        Backoff NewBackoff() => new(options.MinBackoff, options.MaxBackoff);
        _work = new BackgroundWork(time, _log);
        _counters = new NodeCounters(db);
        var keys = new PatientKeyring(db, sealer);
        var alerts = new DoctorAlerts(doctor.Id, time);
        _reconciler = new DocchainReconciler(ledger, doctor.Id, db, _counters, time);
        _credit = new PatientCredit(doctor.Id, db, _counters, _work, _log);
        var outcomes = new DiagnosisOutcomes(db, _counters, _credit, _reconciler, _work, Announce, _log);
        _journal = new DiagnosisJournal(db.Diagnoses, new LedgerSubmitter(doctor, options.Network!.Value, new DatabaseNonceCounter(db.Counters), ledger, time), time, _log);
        _submitter = new DiagnosisSubmitter(_journal, ledger, ledger, outcomes, _counters, _work, NewBackoff, options.CommitTimeout, _log);
        var composer = new DiagnosisComposer(doctor.Id, new DiagnosisNumbers(db.Counters), new EcgContext(options.EcgContext), options.Analysis, time);
        PeriodSummaries? summaries = null;
        if (options.Live is { } live)
        {
            live.Validate();
            var liveLog = loggers.CreateLogger("HealthBlock.Doctor.Live");
            var liveDiagnoser = new LiveDiagnoser(composer, _submitter, _credit, store, _work, liveLog);
            liveDiagnoser.AlarmSubmitted += a => LiveAlarmSubmitted?.Invoke(this, a);
            _liveMonitor = new LiveMonitor(db, keys, liveDiagnoser, live, time, liveLog);
            _liveMonitor.Alarm += a => LiveAlarm?.Invoke(this, a);
            _liveSubscriber = new LiveSubscriber(db, _liveMonitor, live, "hb-doctor-live-" + doctor.Id, _work, liveLog);
            summaries = new PeriodSummaries(_liveMonitor, composer, _submitter, store, live, time);
        }

        var diagnoser = new PatientDiagnoser(
            db,
            keys,
            _credit,
            new BatchOpener(store, alerts, options.MaxFetchAttempts, _log),
            composer,
            _submitter,
            store,
            _counters,
            Alerts,
            alerts,
            _work,
            options,
            _log,
            summaries);
        _lanes = new PatientLanes(diagnoser.StepAsync, options.MaxConcurrentDiagnoses, _work, NewBackoff, _counters, _log);
        _follower = new UserchainFollower(ledger, db, new UserchainBlockReader(doctor, keys, alerts, _log), _counters, Alerts, alerts, _work, NewBackoff, _lanes.Schedule, _log);
    }

    /// <summary>Raised after each automated diagnosis commits, with the latency from the earliest frame's reading.</summary>
    public event EventHandler<DiagnosisCommittedEventArgs>? DiagnosisCommitted;

    /// <summary>Raised when the live path sees a critical condition start (before its alarm diagnosis is written).</summary>
    public event EventHandler<LiveAlarmEventArgs>? LiveAlarm;

    /// <summary>Raised when the live path's alarm diagnosis has been submitted (stage times: stored, submitted).</summary>
    public event EventHandler<LiveAlarmEventArgs>? LiveAlarmSubmitted;

    /// <summary>Live sub-batches analysed (live topic and catch-up), or 0 without the live path.</summary>
    public long LiveSubBatches => _liveMonitor?.Received ?? 0;

    /// <summary>The doctor's identity id.</summary>
    public IdentityId Id => _doctor.Id;

    /// <summary>
    /// The node's alert path: <see cref="AlertKind.DecryptionFailed"/> for an envelope of a key transaction that does not
    /// open or a batch that does not authenticate, <see cref="AlertKind.StoreTampered"/> for a stored block that does not
    /// hash to its CID; one alert per offending transaction, naming the patient (<see cref="Alert.IdentityId"/>), the
    /// node or store (<see cref="Alert.Node"/>) and the transaction, CID, epoch and batch (<see cref="Alert.Details"/>).
    /// It is <see cref="DoctorNodeOptions.Alerts"/>, or a hub the node made that logs (and disposes at the end).
    /// </summary>
    public AlertHub Alerts { get; }

    /// <summary>The diagnosis fee of the ledger's genesis.</summary>
    public ulong DiagnosisFee => _credit.Fee;

    /// <summary>A snapshot of the counters.</summary>
    public DoctorCounters Counters => _counters.Snapshot();

    /// <summary>
    /// Starts a doctor node on <paramref name="options"/>' data folder: <see cref="Create"/>, then <see cref="StartAsync(CancellationToken)"/>.
    /// (Create and start separately to subscribe to <see cref="DiagnosisCommitted"/> before diagnoses resumed at start commit.)
    /// </summary>
    /// <exception cref="InvalidOperationException">The identity is registered with another role, or the data folder belongs to another doctor.</exception>
    public static async Task<DoctorNode> StartAsync(DoctorNodeOptions options, IdentityKey doctor, ILedger ledger, IContentStore store, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var node = Create(options with { Network = await PinNetworkAsync(options.DataFolder, ledger, cancellationToken).ConfigureAwait(false) }, doctor, ledger, store, loggers);
        try
        {
            await node.StartAsync(cancellationToken).ConfigureAwait(false);
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The network of <paramref name="ledger"/>, pinned into the data folder at its first start and checked at every
    /// later one (<see cref="NetworkPin"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The data folder belongs to another network.</exception>
    public static async Task<NetworkId> PinNetworkAsync(string dataFolder, ILedgerReader ledger, CancellationToken cancellationToken = default)
    {
        using var db = DoctorDatabase.Open(dataFolder);
        return await NetworkPin.ResolveAsync(ledger, db.Counters.GetMeta(NetworkPin.Name), b => db.Counters.SetMetaIfAbsent(NetworkPin.Name, b), dataFolder, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens the data folder (creating it) without touching the ledger; call <see cref="StartAsync(CancellationToken)"/>.
    /// <see cref="DoctorNodeOptions.Network"/> must be set (<see cref="PinNetworkAsync"/> finds it).
    /// </summary>
    /// <exception cref="InvalidOperationException">The data folder belongs to another doctor, or no network is set.</exception>
    public static DoctorNode Create(DoctorNodeOptions options, IdentityKey doctor, ILedger ledger, IContentStore store, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(doctor);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(store);
        if (options.Network is null)
        {
            throw new InvalidOperationException("DoctorNodeOptions.Network is not set: start the node with StartAsync, or find it with PinNetworkAsync.");
        }

        var db = DoctorDatabase.Open(options.DataFolder);
        try
        {
            return new DoctorNode(options, doctor, ledger, store, loggers ?? NullLoggerFactory.Instance, db, LocalSealer.Open(db, doctor));
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks the doctor's registration, reconciles with its diagnoses on Docchain, resubmits diagnoses signed before
    /// the last stop, and starts following Userchain. Call once.
    /// </summary>
    /// <exception cref="InvalidOperationException">The identity is registered with another role, or the node was started already.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The doctor node is started already.");
        }

        var identity = await _ledger.GetIdentityAsync(_doctor.Id, cancellationToken).ConfigureAwait(false);
        if (identity is null)
        {
            _log.LogWarning("Doctor {Doctor} is not registered on the ledger yet; an admin registers doctors. Following Userchain meanwhile", _doctor.Id);
        }
        else if (identity.Role != Role.Doctor)
        {
            throw new InvalidOperationException($"Identity {_doctor.Id} is registered as {LedgerNames.RoleName(identity.Role)}, not as a doctor.");
        }

        _credit.Fee = (await _ledger.GetGenesisAsync(cancellationToken).ConfigureAwait(false)).DiagnosisFee;
        await _journal.SyncNonceAsync(cancellationToken).ConfigureAwait(false);
        await _credit.TrackFromTheStartAsync(_ledger, _reconciler, cancellationToken).ConfigureAwait(false);
        await _reconciler.ReconcileAsync(cancellationToken).ConfigureAwait(false);

        // Diagnoses signed before a stop go first, in nonce order, before anything new is signed.
        foreach (var row in _db.Diagnoses.Signed())
        {
            await _submitter.ResumeAsync(row, cancellationToken).ConfigureAwait(false);
        }

        _work.Run(_follower.RunAsync);
        _work.Run(() => _credit.RecheckLoopAsync(_options.AwaitingPaymentRecheck, _lanes.Schedule));
        foreach (var patient in _db.Iot.PatientsWith(IotState.Pending))
        {
            _lanes.Schedule(patient);
        }

        if (_liveSubscriber is not null && _options.Live is { } live)
        {
            _work.Run(_liveSubscriber.RunAsync);
            _work.Run(() => SummaryDueLoopAsync(live.SummaryPeriod));
        }

        _log.LogInformation("Doctor node {Doctor} following Userchain from height {Height} (fee {Fee})", _doctor.Id, _counters.Cursor, _credit.Fee);
    }

    /// <summary>Stops following the chain, lets running work end (waiting commits are picked up again at the next start), closes the database and disposes the alert hub if the node made it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _work.StopAsync().ConfigureAwait(false);
        _db.Dispose();
        _work.Dispose();
        _submitter.Dispose();
        _liveSubscriber?.Dispose();
        _lanes.Dispose();
        if (_ownsAlerts)
        {
            await Alerts.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Looks again at patients whose IoT transactions wait for their summary period, about ten times per period.</summary>
    private async Task SummaryDueLoopAsync(TimeSpan period)
    {
        var every = TimeSpan.FromMilliseconds(Math.Clamp(period.TotalMilliseconds / 10, 200, 30_000));
        while (await _work.DelayAsync(every).ConfigureAwait(false))
        {
            foreach (var patient in _db.Iot.PatientsWith(IotState.Pending))
            {
                _lanes.Schedule(patient);
            }
        }
    }

    private void Announce(DiagnosisCommittedEventArgs args)
    {
        DoctorMetrics.DiagnosisCommitted(args);
        _log.LogInformation("Diagnosis {Transaction} committed for patient {Patient} at {Location}, covering {Batches} batches", args.TransactionId, args.Patient, args.Location, args.Covers.Count);
        try
        {
            DiagnosisCommitted?.Invoke(this, args);
        }
        catch (Exception e)
        {
            _log.LogError(e, "A DiagnosisCommitted handler failed");
        }
    }
}
