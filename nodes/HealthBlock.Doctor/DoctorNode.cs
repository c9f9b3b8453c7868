using System.Collections.Concurrent;
using System.Globalization;
using HealthBlock.Alerts;
using HealthBlock.Analysis;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Storage;
using HealthBlock.Ledger;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Doctor;

/// <summary>
/// The doctor node. It follows Userchain from a persisted cursor and, for each block, in one database transaction:
/// opens the envelopes of key transactions naming this doctor (keeping the IoT and diagnosis keys by patient and
/// epoch, sealed at rest), notes revocations, records the IoT transactions of the patients it serves (idempotent by
/// transaction id) and re-queues patients whose payment appears; then moves the cursor. Per patient, in ledger
/// order, and for several patients in parallel, it checks the paid credit, fetches and decrypts the batches, analyses
/// them, seals a <see cref="DiagnosisDocument"/> under the diagnosis key (<see cref="SealedDiagnosis"/>), stores it,
/// signs a diagnosis transaction, persists it, submits it and waits for its commit in the background, so that the
/// next batch does not wait for the previous commit. A restart resumes from the cursor, resubmits persisted
/// transactions and never covers an IoT transaction twice. An envelope that does not open, a stored block that does not
/// hash to its CID and a batch that does not authenticate under its patient's key and AAD each raise one alert on
/// <see cref="Alerts"/> (<see cref="AlertKind.DecryptionFailed"/> or <see cref="AlertKind.StoreTampered"/>) naming the
/// patient, the transaction and the CID.
/// </summary>
public sealed class DoctorNode : IAsyncDisposable
{
    private const ulong NumberBlock = 64;
    private readonly DoctorNodeOptions _options;
    private readonly IdentityKey _doctor;
    private readonly ILedger _ledger;
    private readonly IContentStore _store;
    private readonly ILogger _log;
    private readonly DoctorDatabase _db;
    private readonly LocalSealer _sealer;
    private readonly TimeProvider _time;
    private readonly bool _ownsAlerts;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _submitLock = new(1, 1);
    private readonly SemaphoreSlim _work;
    private readonly Lock _lanesLock = new();
    private readonly Dictionary<IdentityId, Lane> _lanes = [];
    private readonly ConcurrentDictionary<Task, byte> _tasks = new();
    private readonly ConcurrentDictionary<string, int> _fetchAttempts = new(StringComparer.Ordinal);
    private readonly Lock _numberLock = new();
    private readonly long[] _iotCounts;
    private readonly ConcurrentDictionary<string, long> _refusals;
    private readonly ConcurrentDictionary<IdentityId, List<DeviceFrame>> _ecgContext = new();
    private long _diagnoses;
    private long _notes;
    private long _transientFailures;
    private long _cursor;
    private ulong _nextNonce;
    private ulong _nextNumber;
    private ulong _numberEnd;
    private ulong _fee;
    private Task? _ingest;
    private Task? _recheck;
    private int _disposed;
    private int _started;

    private DoctorNode(DoctorNodeOptions options, IdentityKey doctor, ILedger ledger, IContentStore store, ILoggerFactory loggers, DoctorDatabase db, LocalSealer sealer)
    {
        _options = options;
        _doctor = doctor;
        _ledger = ledger;
        _store = store;
        _log = loggers.CreateLogger("HealthBlock.Doctor");
        _db = db;
        _sealer = sealer;
        _time = options.Time;
        _work = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentDiagnoses));
        _iotCounts = db.CountIotStates();
        var (diagnoses, notes, refusals) = db.CountDiagnoses();
        _diagnoses = diagnoses;
        _notes = notes;
        _refusals = new ConcurrentDictionary<string, long>(refusals, StringComparer.Ordinal);
        _cursor = (long)db.GetCounter(DoctorDatabase.UserchainCursor);
        _ownsAlerts = options.Alerts is null;
        Alerts = options.Alerts ?? AlertHub.Logging(loggers.CreateLogger("HealthBlock.Doctor.Alerts"));
    }

    /// <summary>Raised after each automated diagnosis commits, with the latency from the earliest frame's reading.</summary>
    public event EventHandler<DiagnosisCommittedEventArgs>? DiagnosisCommitted;

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
    public ulong DiagnosisFee => _fee;

    /// <summary>A snapshot of the counters.</summary>
    public DoctorCounters Counters
    {
        get
        {
            var c = new long[_iotCounts.Length];
            for (var i = 0; i < c.Length; i++)
            {
                c[i] = Interlocked.Read(ref _iotCounts[i]);
            }

            return new DoctorCounters(
                c.Sum(),
                c[(int)IotState.Diagnosed],
                c[(int)IotState.AwaitingPayment],
                c[(int)IotState.NotAuthorised],
                c[(int)IotState.Failed],
                c[(int)IotState.Pending] + c[(int)IotState.InDiagnosis],
                Interlocked.Read(ref _diagnoses),
                Interlocked.Read(ref _notes),
                _refusals.GetValueOrDefault(nameof(RejectReason.DoctorNotAuthorised)),
                new Dictionary<string, long>(_refusals, StringComparer.Ordinal),
                Interlocked.Read(ref _transientFailures),
                (ulong)Interlocked.Read(ref _cursor));
        }
    }

    /// <summary>
    /// Starts a doctor node on <paramref name="options"/>' data folder: <see cref="Create"/>, then <see cref="StartAsync(CancellationToken)"/>.
    /// (Create and start separately to subscribe to <see cref="DiagnosisCommitted"/> before diagnoses resumed at start commit.)
    /// </summary>
    /// <exception cref="InvalidOperationException">The identity is registered with another role, or the data folder belongs to another doctor.</exception>
    public static async Task<DoctorNode> StartAsync(DoctorNodeOptions options, IdentityKey doctor, ILedger ledger, IContentStore store, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        var node = Create(options, doctor, ledger, store, loggers);
        try
        {
            await node.StartAsync(cancellationToken);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens the data folder (creating it) without touching the ledger; call <see cref="StartAsync(CancellationToken)"/>.</summary>
    /// <exception cref="InvalidOperationException">The data folder belongs to another doctor.</exception>
    public static DoctorNode Create(DoctorNodeOptions options, IdentityKey doctor, ILedger ledger, IContentStore store, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(doctor);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(store);
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

        await InitialiseAsync(cancellationToken);
    }

    private async Task InitialiseAsync(CancellationToken cancellationToken)
    {
        var identity = await _ledger.GetIdentityAsync(_doctor.Id, cancellationToken);
        if (identity is null)
        {
            _log.LogWarning("Doctor {Doctor} is not registered on the ledger yet; an admin registers doctors. Following Userchain meanwhile", _doctor.Id);
        }
        else if (identity.Role != Role.Doctor)
        {
            throw new InvalidOperationException($"Identity {_doctor.Id} is registered as {LedgerNames.RoleName(identity.Role)}, not as a doctor.");
        }

        _fee = (await _ledger.GetGenesisAsync(cancellationToken)).DiagnosisFee;
        await SyncNonceAsync(cancellationToken);
        await ReconcileAsync(cancellationToken);

        // Diagnoses signed before a stop go first, in nonce order, before anything new is signed.
        foreach (var row in _db.SignedDiagnoses())
        {
            await ResumeSignedAsync(row, cancellationToken);
        }

        _ingest = Task.Run(IngestLoopAsync, CancellationToken.None);
        _recheck = Task.Run(RecheckLoopAsync, CancellationToken.None);
        foreach (var patient in _db.PatientsWith(IotState.Pending))
        {
            Schedule(patient);
        }

        _log.LogInformation("Doctor node {Doctor} following Userchain from height {Height} (fee {Fee})", _doctor.Id, Interlocked.Read(ref _cursor), _fee);
    }

    // ================================================================== following Userchain

    private async Task IngestLoopAsync()
    {
        var stop = _stop.Token;
        var backoff = _options.MinBackoff;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var from = _db.GetCounter(DoctorDatabase.UserchainCursor);
                await foreach (var block in _ledger.SubscribeAsync(ChainId.Userchain, from, stop))
                {
                    if (block.Header.Height < from)
                    {
                        continue;
                    }

                    var alerts = new List<Alert>();
                    var result = _db.Ingest(block.Header.Height, BuildOps(block, alerts), NowMs());
                    result.Delta.ApplyTo(_iotCounts);

                    // Raised once the block is recorded: a block handled again after a failure does not alert twice.
                    foreach (var alert in alerts)
                    {
                        Alerts.Raise(alert);
                    }

                    foreach (var patient in result.Withdrawn)
                    {
                        _log.LogInformation("Patient {Patient} no longer authorises this doctor (key transaction at userchain/{Height}); not serving it", patient, block.Header.Height);
                    }

                    Interlocked.Exchange(ref _cursor, (long)block.Header.Height + 1);
                    from = block.Header.Height + 1;
                    foreach (var patient in result.Schedule)
                    {
                        Schedule(patient);
                    }

                    backoff = _options.MinBackoff;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref _transientFailures);
                _log.LogWarning("Following Userchain failed ({Type}: {Message}); resubscribing in {Delay} ms", e.GetType().Name, e.Message, (int)backoff.TotalMilliseconds);
                if (!await DelayAsync(backoff))
                {
                    return;
                }

                backoff = Grow(backoff);
            }
        }
    }

    /// <summary>The effects of one Userchain block; <paramref name="alerts"/> gets the alerts to raise once they are recorded.</summary>
    private List<IngestOp> BuildOps(Block block, List<Alert> alerts)
    {
        var ops = new List<IngestOp>();
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            var tx = block.Transactions[i];
            var signer = tx.Body.Signer;
            switch (tx.Body.Payload)
            {
                case KeyPayload k:
                    var envelope = k.Envelopes.FirstOrDefault(e => e.Doctor == _doctor.Id);
                    if (envelope is null)
                    {
                        ops.Add(new KeyWithdrawnOp(signer, k.Epoch, $"revoked by key transaction {tx.IdHex} (epoch {k.Epoch})"));
                        break;
                    }

                    var purpose = EnvelopePurpose.IotKey;
                    try
                    {
                        var iotKey = Envelope.Open(_doctor, k.Epoch, purpose, envelope.IotKey);
                        purpose = EnvelopePurpose.DiagnosisKey;
                        var diagnosisKey = Envelope.Open(_doctor, k.Epoch, purpose, envelope.DiagnosisKey);
                        ops.Add(new KeyGrantedOp(signer, k.Epoch, _sealer.Seal(iotKey, IotKeyLabel(signer, k.Epoch)), _sealer.Seal(diagnosisKey, DiagnosisKeyLabel(signer, k.Epoch)), tx.IdHex));
                        _log.LogInformation("Patient {Patient} authorised this doctor in epoch {Epoch}", signer, k.Epoch);
                    }
                    catch (CryptoException e)
                    {
                        _log.LogError("The envelopes of key transaction {Tx} of patient {Patient} do not open: {Message}", tx.IdHex, signer, e.Message);
                        ops.Add(new KeyWithdrawnOp(signer, k.Epoch, $"the envelopes of key transaction {tx.IdHex} do not open"));
                        alerts.Add(NewAlert(
                            AlertKind.DecryptionFailed,
                            $"The {purpose} envelope for doctor {_doctor.Id} in key transaction {tx.IdHex} of patient {signer} (epoch {k.Epoch}) does not open: " +
                            "sealed to another key, epoch or purpose, or altered; this doctor is not authorised for that epoch",
                            signer,
                            NodeName,
                            ("object", "envelope"),
                            ("tx", tx.IdHex),
                            ("epoch", Text(k.Epoch)),
                            ("purpose", purpose.ToString()),
                            ("height", Text(block.Header.Height)),
                            ("doctor", _doctor.Id.ToString()),
                            ("error", e.Message)));
                    }

                    break;
                case IotPayload p:
                    ops.Add(new IotOp(new IotItem(tx.IdHex, DoctorDatabase.OrderOf(block.Header.Height, i), signer, p.Epoch, p.Batch, p.Cid, p.WindowStartMs, p.WindowEndMs)));
                    break;
                case PaymentPayload pay when pay.To == _doctor.Id:
                    ops.Add(new PaymentOp(signer));
                    break;
            }
        }

        return ops;
    }

    private async Task RecheckLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.AwaitingPaymentRecheck, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                foreach (var patient in _db.PatientsWith(IotState.AwaitingPayment))
                {
                    try
                    {
                        if (await _ledger.GetCreditAsync(_doctor.Id, patient, _stop.Token) >= _fee)
                        {
                            var (moved, delta) = _db.ReleaseAwaiting(patient, NowMs());
                            delta.ApplyTo(_iotCounts);
                            if (moved > 0)
                            {
                                Schedule(patient);
                            }
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Interlocked.Increment(ref _transientFailures);
                        _log.LogWarning("Checking the credit of patient {Patient} failed: {Message}", patient, e.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // ================================================================== per-patient lanes

    private void Schedule(IdentityId patient)
    {
        lock (_lanesLock)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            if (_lanes.TryGetValue(patient, out var lane))
            {
                lane.Dirty = true;
                return;
            }

            _lanes[patient] = new Lane { Dirty = true };
        }

        Track(Task.Run(() => RunLaneAsync(patient), CancellationToken.None));
    }

    private async Task RunLaneAsync(IdentityId patient)
    {
        var stop = _stop.Token;
        var backoff = _options.MinBackoff;
        try
        {
            while (true)
            {
                lock (_lanesLock)
                {
                    var lane = _lanes[patient];
                    if (!lane.Dirty || stop.IsCancellationRequested)
                    {
                        _lanes.Remove(patient);
                        return;
                    }

                    lane.Dirty = false;
                }

                try
                {
                    var max = Math.Max(1, _options.MaxCoveredPerDiagnosis);
                    while (!stop.IsCancellationRequested && _db.TakePending(patient, max) is { Count: > 0 } items)
                    {
                        if (await DiagnoseAsync(patient, items, stop))
                        {
                            max = Math.Max(1, _options.MaxCoveredPerDiagnosis);
                        }
                        else
                        {
                            // The document would not fit one block: cover fewer IoT transactions.
                            max = Math.Max(1, items.Count / 2);
                        }

                        backoff = _options.MinBackoff;
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e) when (IsTransient(e))
                {
                    Interlocked.Increment(ref _transientFailures);
                    _log.LogWarning("Diagnosing for patient {Patient} failed ({Type}: {Message}); retrying in {Delay} ms", patient, e.GetType().Name, e.Message, (int)backoff.TotalMilliseconds);
                    lock (_lanesLock)
                    {
                        _lanes[patient].Dirty = true;
                    }

                    if (!await DelayAsync(backoff))
                    {
                        throw new OperationCanceledException(stop);
                    }

                    backoff = Grow(backoff);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            lock (_lanesLock)
            {
                _lanes.Remove(patient);
            }
        }
        catch (Exception e)
        {
            lock (_lanesLock)
            {
                _lanes.Remove(patient);
            }

            _log.LogError(e, "The diagnosis lane of patient {Patient} stopped", patient);
        }
    }

    /// <summary>Diagnoses one patient's IoT transactions (one epoch, ledger order); false when the document would not fit one block.</summary>
    private async Task<bool> DiagnoseAsync(IdentityId patient, List<IotItem> items, CancellationToken stop)
    {
        await _work.WaitAsync(stop);
        try
        {
            var ids = items.Select(i => i.TxId).ToList();
            var epoch = items[0].Epoch;
            var state = _db.GetPatient(patient);
            var keys = _db.GetKeys(patient, epoch);
            if (state is null || !state.Authorised || state.Refused || keys is null)
            {
                var reason = keys is null ? $"no key for epoch {epoch}" : "revoked";
                _db.SetIotState(ids, IotState.NotAuthorised, reason, NowMs(), IotState.Pending).ApplyTo(_iotCounts);
                return true;
            }

            var credit = await _ledger.GetCreditAsync(_doctor.Id, patient, stop);
            if (credit < _fee)
            {
                _db.SetIotState(ids, IotState.AwaitingPayment, $"paid credit {credit} does not cover the fee {_fee}", NowMs(), IotState.Pending).ApplyTo(_iotCounts);
                _log.LogInformation("Patient {Patient}: {Count} IoT transaction(s) await payment (credit {Credit}, fee {Fee})", patient, ids.Count, credit, _fee);
                return true;
            }

            var iotKey = _sealer.Open(keys.Value.SealedIotKey, IotKeyLabel(patient, epoch));
            var diagnosisKey = _sealer.Open(keys.Value.SealedDiagnosisKey, DiagnosisKeyLabel(patient, epoch));
            var opened = await Task.WhenAll(items.Select(i => OpenBatchAsync(i, iotKey, stop)));
            var failed = opened.Where(o => o.Error is not null).ToList();
            if (failed.Count > 0)
            {
                foreach (var f in failed)
                {
                    _log.LogError("IoT transaction {Tx} of patient {Patient} is given up: {Reason}", f.Item.TxId, patient, f.Error);
                    var delta = _db.SetIotState([f.Item.TxId], IotState.Failed, f.Error, NowMs(), IotState.Pending);
                    delta.ApplyTo(_iotCounts);

                    // Only the call that gives the transaction up alerts: a retry of the batch after a transient failure,
                    // or a transaction no longer pending, raises nothing more.
                    if (f.Alert is { } alert && delta[IotState.Failed] > 0)
                    {
                        Alerts.Raise(alert);
                    }
                }
            }

            var good = opened.Where(o => o.Error is null).ToList();
            if (good.Count == 0)
            {
                return true;
            }

            var windowStart = good.Min(o => o.Item.WindowStartMs);
            var windowEnd = good.Max(o => o.Item.WindowEndMs);
            var fresh = good.SelectMany(o => o.Frames!).ToList();
            var analysis = BatchAnalyzer.Analyze(WithEcgContext(patient, fresh), windowStart, _options.Analysis);
            var covers = good.Select(o => o.Item.TxId).Order(StringComparer.Ordinal).ToList();
            var number = NextNumber();
            var document = new DiagnosisDocument
            {
                Kind = DiagnosisKinds.AutomatedScreening,
                Patient = patient.ToString(),
                Doctor = _doctor.Id.ToString(),
                Epoch = epoch,
                Number = number,
                Covers = covers,
                WindowStartMs = windowStart,
                WindowEndMs = windowEnd,
                CreatedMs = NowMs(),
                Label = DiagnosisDocument.AutomatedScreeningLabel,
                Disclaimer = AlgorithmInfo.ScreeningDisclaimer,
                Analysis = analysis.Report,
                Ecg = analysis.Ecg,
                Readings = analysis.Readings,
                Frames = analysis.Frames,
                Algorithms = analysis.Algorithms,
            };
            byte[] sealedDocument;
            try
            {
                sealedDocument = SealedDiagnosis.Seal(document, diagnosisKey);
            }
            catch (ArgumentException) when (good.Count > 1)
            {
                return false;
            }
            catch (ArgumentException e)
            {
                _db.SetIotState(covers, IotState.Failed, e.Message, NowMs(), IotState.Pending).ApplyTo(_iotCounts);
                _log.LogError("IoT transaction {Tx} of patient {Patient} is given up: {Reason}", covers[0], patient, e.Message);
                return true;
            }

            var cid = await PutAsync(sealedDocument, stop);
            var payload = new DiagnosisPayload(patient, epoch, cid, [.. covers.Select(Convert.FromHexString)], windowStart, windowEnd, null);
            await SubmitNewAsync(number, patient, epoch, DiagnosisKinds.AutomatedScreening, payload, covers, fresh.Count > 0 ? fresh.Min(f => f.TimestampMs) : windowStart, stop);
            return true;
        }
        finally
        {
            _work.Release();
        }
    }

    /// <summary>
    /// The new frames plus up to <see cref="DoctorNodeOptions.EcgContext"/> of this patient's preceding ECG frames from
    /// batches this node already analysed (kept in memory only), so that a short batch still gives enough ECG for a
    /// rhythm analysis. Only ECG is taken from the context: readings are reported once, with their own batch.
    /// </summary>
    private List<DeviceFrame> WithEcgContext(IdentityId patient, List<DeviceFrame> fresh)
    {
        if (_options.EcgContext <= TimeSpan.Zero)
        {
            return fresh;
        }

        var context = _ecgContext.GetOrAdd(patient, _ => []);
        lock (context)
        {
            var firstNew = fresh.Where(f => f.Kind == SensorKind.Ecg).Select(f => f.TimestampMs).DefaultIfEmpty(long.MaxValue).Min();
            var combined = context.Where(f => f.TimestampMs < firstNew).Concat(fresh).ToList();
            var newest = combined.Where(f => f.Kind == SensorKind.Ecg).Select(f => f.TimestampMs + f.DurationMs).DefaultIfEmpty(0).Max();
            var keepFrom = newest - (long)_options.EcgContext.TotalMilliseconds;
            context.Clear();
            context.AddRange(combined.Where(f => f.Kind == SensorKind.Ecg && f.TimestampMs >= keepFrom));
            return combined;
        }
    }

    private async Task<OpenedBatch> OpenBatchAsync(IotItem item, byte[] iotKey, CancellationToken stop)
    {
        byte[] sealedBatch;
        try
        {
            sealedBatch = await _store.GetAsync(item.Cid, stop);
        }
        catch (BlockTamperedException e)
        {
            var store = e.Store ?? _store.Name;
            return new OpenedBatch(item, null, $"its block is tampered: {e.Message}", NewAlert(
                AlertKind.StoreTampered,
                $"Block {item.Cid} of IoT transaction {item.TxId} of patient {item.Patient} in {store} does not hash to its CID: " +
                "modified at rest or in transit; the transaction is given up",
                item.Patient,
                store,
                BatchDetails(item, ("store", store), ("doctor", _doctor.Id.ToString()), ("error", e.Message))));
        }
        catch (BlockNotFoundException) when (_fetchAttempts.AddOrUpdate(item.TxId, 1, (_, n) => n + 1) >= _options.MaxFetchAttempts)
        {
            return new OpenedBatch(item, null, $"its block {item.Cid} was not found in {_store.Name} after {_options.MaxFetchAttempts} attempts", null);
        }

        _fetchAttempts.TryRemove(item.TxId, out _);
        try
        {
            var batch = IotBatch.Open(sealedBatch, iotKey, item.Patient, item.Epoch, item.Batch);
            var frames = new List<DeviceFrame>(batch.Frames.Count);
            foreach (var bytes in batch.Frames)
            {
                try
                {
                    frames.Add(DeviceFrame.Decode(bytes));
                }
                catch (ProtocolException e)
                {
                    _log.LogWarning("A frame of IoT transaction {Tx} is malformed and left out: {Message}", item.TxId, e.Message);
                }
            }

            return new OpenedBatch(item, frames, null, null);
        }
        catch (Exception e) when (e is CryptoException or ProtocolException)
        {
            var message = e is CryptoException
                ? $"The batch {item.Cid} of IoT transaction {item.TxId} does not authenticate under patient {item.Patient}'s IoT key and AAD " +
                    $"(epoch {item.Epoch}, batch {item.Batch}): moved from another transaction, altered, or sealed under another key"
                : $"The batch {item.Cid} of IoT transaction {item.TxId} decrypts under patient {item.Patient}'s IoT key but is malformed " +
                    $"or names another patient, epoch or batch than epoch {item.Epoch}, batch {item.Batch}";
            return new OpenedBatch(item, null, $"its batch does not decrypt or decode: {e.Message}", NewAlert(
                AlertKind.DecryptionFailed,
                message + "; the transaction is given up",
                item.Patient,
                NodeName,
                BatchDetails(item, ("object", "batch"), ("store", _store.Name), ("error", e.Message))));
        }
    }

    private async Task<Cid> PutAsync(byte[] block, CancellationToken stop)
    {
        var cid = await _store.PutCheckedAsync(block, stop);

        if (_options.PinDiagnoses)
        {
            // Off the critical path: a pin only protects the block from garbage collection.
            Track(PinAsync(cid));
        }

        return cid;
    }

    private async Task PinAsync(Cid cid)
    {
        try
        {
            await _store.PinAsync(cid, _stop.Token);
        }
        catch (Exception e) when (e is StoreException or HttpRequestException or IOException)
        {
            Interlocked.Increment(ref _transientFailures);
            _log.LogWarning("Pinning diagnosis block {Cid} failed: {Message}", cid, e.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    // ================================================================== signing, submitting, committing

    private async Task SubmitNewAsync(ulong number, IdentityId patient, uint epoch, string kind, DiagnosisPayload payload, IReadOnlyList<string> covers, long earliestReadingMs, CancellationToken stop)
    {
        DiagnosisRow row;
        Transaction tx;
        SubmitResult? result = null;
        Exception? failure = null;
        await _submitLock.WaitAsync(stop);
        try
        {
            tx = SignLocked(payload);
            row = new DiagnosisRow((long)number, patient, epoch, kind, tx.Encode(), tx.IdHex, tx.Body.Nonce, payload.Cid.ToString(), earliestReadingMs, DiagnosisState.Signed, null);

            // Persisted before the ledger can see it: after a crash the same transaction is submitted again.
            var recorded = _db.RecordSigned(row, covers, NowMs());
            if (recorded is null)
            {
                _nextNonce--;
                _log.LogInformation("Diagnosis {Number} for patient {Patient} dropped: its IoT transactions are no longer pending (revoked meanwhile)", number, patient);
                return;
            }

            recorded.ApplyTo(_iotCounts);
            try
            {
                (tx, result) = await SubmitLockedAsync(row, tx, stop);
            }
            catch (Exception e) when (IsTransient(e) && !stop.IsCancellationRequested)
            {
                failure = e;
            }
        }
        finally
        {
            _submitLock.Release();
        }

        AfterSubmit(row, tx, result, failure);
    }

    /// <summary>After a first submission: wait for the commit in the background, retry later, or record the refusal.</summary>
    private void AfterSubmit(DiagnosisRow row, Transaction tx, SubmitResult? result, Exception? failure)
    {
        if (failure is not null || (result is { Accepted: false } r && RejectionIsTransient(r.Reason)))
        {
            Interlocked.Increment(ref _transientFailures);
            _log.LogWarning("Submitting diagnosis {Number} failed ({Reason}); retrying", row.Number, failure?.Message ?? result!.Reason.ToString());
            Track(DriveAsync(row, tx, needsSubmit: true, delayFirst: true));
        }
        else if (result!.Accepted || result.Reason == RejectReason.DuplicateTransaction)
        {
            Track(DriveAsync(row, tx, needsSubmit: false));
        }
        else
        {
            Refuse(row, result);
        }
    }

    /// <summary>A diagnosis persisted before a stop: committed meanwhile, or submitted again now (same transaction unless its nonce was taken).</summary>
    private async Task ResumeSignedAsync(DiagnosisRow row, CancellationToken cancellationToken)
    {
        var tx = Transaction.Decode(row.Transaction);
        SubmitResult? result = null;
        Exception? failure = null;
        try
        {
            if (await _ledger.GetTransactionAsync(tx.IdBytes, cancellationToken) is { } committed)
            {
                OnCommitted(row, tx, committed.Location, NowMs());
                return;
            }

            _log.LogInformation("Resubmitting diagnosis {Number} ({Tx}) signed before the last stop", row.Number, tx.IdHex);
            await _submitLock.WaitAsync(cancellationToken);
            try
            {
                (tx, result) = await SubmitLockedAsync(row, tx, cancellationToken);
            }
            finally
            {
                _submitLock.Release();
            }
        }
        catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            failure = e;
        }

        AfterSubmit(row, tx, result, failure);
    }

    /// <summary>Submits, re-signing with a fresh nonce when another transaction of this doctor took the nonce. Holds the submit lock.</summary>
    private async Task<(Transaction Transaction, SubmitResult Result)> SubmitLockedAsync(DiagnosisRow row, Transaction tx, CancellationToken stop)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await _ledger.SubmitAsync(tx, stop);
            if (result.Reason != RejectReason.ReplayedNonce || attempt >= 5)
            {
                return (tx, result);
            }

            if (await _ledger.GetTransactionAsync(tx.IdBytes, stop) is not null)
            {
                return (tx, SubmitResult.Reject(tx.IdHex, new Rejection(RejectReason.DuplicateTransaction, "already committed")));
            }

            await SyncNonceAsync(stop);
            var resigned = SignLocked(tx.Body.Payload);
            _log.LogInformation("Nonce {Nonce} was taken; diagnosis {Number} re-signed with nonce {New}", tx.Body.Nonce, row.Number, resigned.Body.Nonce);
            _db.UpdateSigned(row.Number, resigned.Encode(), resigned.IdHex, resigned.Body.Nonce);
            tx = resigned;
        }
    }

    /// <summary>Brings a signed diagnosis to commit: submits it when needed, waits, resubmits after a timeout or a lost leadership.</summary>
    private async Task DriveAsync(DiagnosisRow row, Transaction tx, bool needsSubmit, bool delayFirst = false)
    {
        var stop = _stop.Token;
        var backoff = _options.MinBackoff;
        var wait = delayFirst;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (wait)
                {
                    if (!await DelayAsync(backoff))
                    {
                        return;
                    }

                    backoff = Grow(backoff);
                    wait = false;
                }

                if (needsSubmit)
                {
                    if (await _ledger.GetTransactionAsync(tx.IdBytes, stop) is { } already)
                    {
                        OnCommitted(row, tx, already.Location, NowMs());
                        return;
                    }

                    SubmitResult result;
                    await _submitLock.WaitAsync(stop);
                    try
                    {
                        (tx, result) = await SubmitLockedAsync(row, tx, stop);
                    }
                    finally
                    {
                        _submitLock.Release();
                    }

                    if (!result.Accepted && result.Reason != RejectReason.DuplicateTransaction)
                    {
                        if (RejectionIsTransient(result.Reason))
                        {
                            Interlocked.Increment(ref _transientFailures);
                            wait = true;
                            continue;
                        }

                        Refuse(row, result);
                        return;
                    }

                    needsSubmit = false;
                }

                var location = await _ledger.WaitForCommitAsync(tx.IdBytes, _options.CommitTimeout, stop);
                OnCommitted(row, tx, location, NowMs());
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (LedgerRejectedException e) when (RejectionIsTransient(e.Reason))
            {
                Interlocked.Increment(ref _transientFailures);
                _log.LogInformation("Diagnosis {Number} not committed yet ({Reason}); checking and submitting again", row.Number, e.Reason);
                needsSubmit = true;
            }
            catch (Exception e) when (IsTransient(e))
            {
                Interlocked.Increment(ref _transientFailures);
                _log.LogWarning("Diagnosis {Number}: {Type}: {Message}; retrying", row.Number, e.GetType().Name, e.Message);
                needsSubmit = true;
                wait = true;
            }
        }
    }

    private void OnCommitted(DiagnosisRow row, Transaction tx, TxLocation location, long committedMs)
    {
        var covers = _db.CoveredBy(row.Number);
        var (changed, delta) = _db.MarkCommitted(row.Number, tx.IdHex, location.ToString(), committedMs);
        delta.ApplyTo(_iotCounts);
        if (!changed)
        {
            return;
        }

        if (row.Kind == DiagnosisKinds.ClinicianNote)
        {
            Interlocked.Increment(ref _notes);
            return;
        }

        Interlocked.Increment(ref _diagnoses);
        var args = new DiagnosisCommittedEventArgs(tx.IdHex, row.Patient.ToString(), row.Epoch, (ulong)row.Number, location, covers, row.EarliestReadingMs ?? committedMs, committedMs);
        _log.LogInformation("Diagnosis {Number} for patient {Patient} committed at {Location}: {Count} IoT transaction(s), {Latency} ms after the earliest reading", row.Number, row.Patient, location, covers.Count, (long)args.Latency.TotalMilliseconds);
        try
        {
            DiagnosisCommitted?.Invoke(this, args);
        }
        catch (Exception e)
        {
            _log.LogError(e, "A DiagnosisCommitted handler failed");
        }
    }

    private void Refuse(DiagnosisRow row, SubmitResult result)
    {
        var reason = result.Reason;
        var (target, level) = reason switch
        {
            RejectReason.DoctorNotAuthorised => (IotState.NotAuthorised, LogLevel.Warning),
            RejectReason.InsufficientCredit => (IotState.AwaitingPayment, LogLevel.Information),
            _ => (IotState.Failed, LogLevel.Error),
        };
        var (changed, delta) = _db.MarkRefused(row.Number, reason.ToString(), target, NowMs());
        delta.ApplyTo(_iotCounts);
        if (!changed)
        {
            return;
        }

        _refusals.AddOrUpdate(reason.ToString(), 1, (_, n) => n + 1);
        _log.Log(level, "The ledger refused diagnosis {Number} for patient {Patient}: {Reason}: {Message}", row.Number, row.Patient, reason, result.Message);
        if (reason == RejectReason.DoctorNotAuthorised)
        {
            // Stop trying: nothing more is submitted for this patient until a key transaction names this doctor again.
            _db.SetPatientRefused(row.Patient, NowMs()).ApplyTo(_iotCounts);
        }
    }

    private Transaction SignLocked(TransactionPayload payload)
    {
        var nonce = _nextNonce++;
        return Transaction.Sign(new TransactionBody(_doctor.Id, nonce, NowMs(), payload), _doctor);
    }

    private async Task SyncNonceAsync(CancellationToken cancellationToken)
    {
        var ledgerNext = await _ledger.GetNextNonceAsync(_doctor.Id, cancellationToken);
        _nextNonce = Math.Max(Math.Max(_nextNonce, ledgerNext), _db.GetCounter(DoctorDatabase.Nonce) + 1);
    }

    /// <summary>The next diagnosis number (the DIAG nonce counter). Numbers are reserved in blocks that are persisted
    /// before use, so a restart skips the rest of a block but never reuses a number.</summary>
    private ulong NextNumber()
    {
        lock (_numberLock)
        {
            if (_nextNumber == 0 || _nextNumber > _numberEnd)
            {
                _nextNumber = _db.Reserve(DoctorDatabase.DiagnosisNumber, NumberBlock);
                _numberEnd = _nextNumber + NumberBlock - 1;
            }

            return _nextNumber++;
        }
    }

    /// <summary>Marks every IoT transaction that a committed diagnosis of this doctor already covers (a belt-and-braces check against repeats).</summary>
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var from = _db.GetCounter(DoctorDatabase.DocchainReconciled);
        while (true)
        {
            const int Limit = 1000;
            var page = await _ledger.GetTransactionsForAsync(_doctor.Id, ChainId.Docchain, from, Limit, cancellationToken);
            var covered = new List<(string, string)>();
            var top = from;
            foreach (var t in page)
            {
                top = Math.Max(top, t.Location.Height);
                if (t.Transaction.Body.Signer == _doctor.Id && t.Transaction.Body.Payload is DiagnosisPayload p)
                {
                    covered.AddRange(p.Covers.Select(c => (Convert.ToHexStringLower(c), t.Transaction.IdHex)));
                }
            }

            _db.RecordCovered(covered, top, NowMs()).ApplyTo(_iotCounts);
            if (page.Count < Limit || top == from)
            {
                return;
            }

            from = top;
        }
    }

    // ================================================================== helpers

    /// <summary>How this node names itself in alerts.</summary>
    private string NodeName => "doctor:" + _doctor.Id;

    private Alert NewAlert(AlertKind kind, string message, IdentityId patient, string node, params (string Key, string Value)[] details) =>
        new(kind, message)
        {
            Time = _time.GetUtcNow(),
            IdentityId = patient.ToString(),
            Node = node,
            Details = details.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal),
        };

    private static (string, string)[] BatchDetails(IotItem item, params (string Key, string Value)[] more) =>
        [("tx", item.TxId), ("cid", item.Cid.ToString()), ("epoch", Text(item.Epoch)), ("batch", Text(item.Batch)), .. more];

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string IotKeyLabel(IdentityId patient, uint epoch) => $"iot-key:{patient}:{epoch}";

    private static string DiagnosisKeyLabel(IdentityId patient, uint epoch) => $"diagnosis-key:{patient}:{epoch}";

    internal static string DiagnosisKeyLabelFor(IdentityId patient, uint epoch) => DiagnosisKeyLabel(patient, epoch);

    private static bool RejectionIsTransient(RejectReason reason) => DoctorNodeOptions.IsTransient(reason);

    private static bool IsTransient(Exception e) =>
        e is StoreException or HttpRequestException or IOException or TimeoutException or SqliteException
            or LedgerRejectedException { Reason: RejectReason.NoLeader or RejectReason.LeadershipLost or RejectReason.Overloaded or RejectReason.Timeout or RejectReason.ChainUnavailable }
            or OperationCanceledException;

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private TimeSpan Grow(TimeSpan backoff) => TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, _options.MaxBackoff.TotalMilliseconds));

    private async Task<bool> DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _stop.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Track(Task task)
    {
        _tasks.TryAdd(task, 0);
        _ = task.ContinueWith(t => _tasks.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Stops following the chain, lets running work end (waiting commits are picked up again at the next start), closes the database and disposes the alert hub if the node made it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        var background = new List<Task>();
        if (_ingest is not null)
        {
            background.Add(_ingest);
        }

        if (_recheck is not null)
        {
            background.Add(_recheck);
        }

        while (true)
        {
            var pending = background.Concat(_tasks.Keys).Where(t => !t.IsCompleted).ToList();
            if (pending.Count == 0)
            {
                break;
            }

            try
            {
                await Task.WhenAll(pending);
            }
            catch (Exception e)
            {
                _log.LogDebug(e, "Background work ended with an error during shutdown");
            }
        }

        _db.Dispose();
        _stop.Dispose();
        _submitLock.Dispose();
        _work.Dispose();
        if (_ownsAlerts)
        {
            await Alerts.DisposeAsync();
        }
    }

    private sealed class Lane
    {
        public bool Dirty { get; set; }
    }

    /// <summary>A fetched and opened batch, or why not (<paramref name="Error"/>) and the alert to raise when it is given up.</summary>
    private sealed record OpenedBatch(IotItem Item, List<DeviceFrame>? Frames, string? Error, Alert? Alert);
}
