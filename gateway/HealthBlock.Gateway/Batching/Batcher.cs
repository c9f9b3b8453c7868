using HealthBlock.Alerts;
using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Store;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Batching;

/// <summary>
/// Seals journalled frames into batches and publishes them: assigns a batch number to a run of frames (persisted
/// before anything else, so the batch's plaintext never changes), encrypts it under the current epoch's IoT key,
/// puts it in the content store, signs the IoT transaction (persisted before submission), submits it through the
/// <see cref="LedgerSubmitter"/> and waits for the commit; only then are its frames done. After a crash it resumes the
/// unfinished batches in order: the same frames, the same ciphertext and CID, the same transaction — nothing is
/// published twice. When the store or the ledger is down, or the ledger refuses for now, it retries with backoff;
/// nothing is dropped. A batch the ledger refuses for good is parked (marked refused with the reason), counted and
/// alerted, and the batcher goes on with the next one. It wakes when the ingestor journals a frame
/// (<see cref="NotifyJournalled"/>) and when the oldest waiting frame's window ends.
/// With live sub-batches (<c>live</c>), a batch is a period: the oldest live sub-batches of one epoch that
/// <see cref="Live.LiveSealer"/> sealed and sent, stored as a <see cref="LiveBundle"/> whose Merkle root, sequence range
/// and count the IoT transaction commits (<see cref="LiveAnchor"/>); the window is the period.
/// </summary>
public sealed class Batcher : IAsyncDisposable
{
    private readonly GatewayStore _store;
    private readonly PatientKeyManager _keys;
    private readonly LedgerSubmitter _submitter;
    private readonly ILedgerWriter _ledger;
    private readonly IContentStore _content;
    private readonly BatchOptions _options;
    private readonly AlertHub? _alerts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WakeSignal _wake = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _committedFrames;
    private long _committedBatches;
    private long _refusedBatches;
    private long _failures;
    private long _pendingBytes;
    private int _wakeOnNextFrame = 1;
    private readonly bool _live;

    /// <summary>
    /// Creates the batcher; call <see cref="Start"/>. With <paramref name="live"/> it publishes periods of live
    /// sub-batches (the window of <paramref name="options"/> is the period) instead of batches of frames.
    /// </summary>
    public Batcher(GatewayStore store, PatientKeyManager keys, LedgerSubmitter submitter, ILedgerWriter ledger, IContentStore content, BatchOptions options, ILogger logger, AlertHub? alerts = null, TimeProvider? time = null, bool live = false)
    {
        _live = live;
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(submitter);
        _store = store;
        _keys = keys;
        _submitter = submitter;
        _ledger = ledger;
        _content = content;
        _options = options;
        _logger = logger;
        _alerts = alerts;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Raised after each batch commits.</summary>
    public event Action<CommittedBatch>? Committed;

    /// <summary>Raised for each batch the ledger refused for good (after it is parked).</summary>
    public event Action<RefusedBatch>? Refused;

    /// <summary>Frames in committed batches since start.</summary>
    public long CommittedFrames => Interlocked.Read(ref _committedFrames);

    /// <summary>Batches committed since start.</summary>
    public long CommittedBatches => Interlocked.Read(ref _committedBatches);

    /// <summary>Batches refused for good and parked since start.</summary>
    public long RefusedBatches => Interlocked.Read(ref _refusedBatches);

    /// <summary>Store or ledger failures retried since start.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>True while the last attempt failed and the batcher is backing off.</summary>
    public bool Degraded { get; private set; }

    /// <summary>Starts the loop.</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Frames not yet in a committed (or parked) batch.</summary>
    public long Backlog() => _store.Backlog();

    /// <summary>
    /// Tells the batcher a frame of <paramref name="frameBytes"/> bytes was journalled: it wakes when this is the first
    /// waiting frame (to time that frame's window) or when the waiting frames fill a batch.
    /// </summary>
    public void NotifyJournalled(int frameBytes)
    {
        if (Interlocked.Exchange(ref _wakeOnNextFrame, 0) == 1
            || Interlocked.Add(ref _pendingBytes, frameBytes + IotBatch.PerFrameOverhead) >= _options.MaxBatchBytes)
        {
            _wake.Set();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = _options.MinBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var worked = await PassAsync(cancellationToken).ConfigureAwait(false);
                backoff = _options.MinBackoff;
                if (Degraded)
                {
                    Degraded = false;
                    _logger.LogInformation("Ledger and store reachable again: publishing batches");
                }

                if (!worked)
                {
                    await WaitForWorkAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StoreException or LedgerRejectedException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
            {
                Interlocked.Increment(ref _failures);
                if (!Degraded)
                {
                    _logger.LogInformation("Ledger or store lost: frames stay journalled until it answers again");
                }

                Degraded = true;
                _logger.LogWarning("Publishing a batch failed ({Type}: {Message}); retrying in {Delay} ms", e.GetType().Name, e.Message, (int)backoff.TotalMilliseconds);
                try
                {
                    await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, _options.MaxBackoff.TotalMilliseconds));
            }
        }
    }

    /// <summary>Publishes the unfinished batches and the next due one; true when there was anything to do.</summary>
    private async Task<bool> PassAsync(CancellationToken cancellationToken)
    {
        var worked = false;
        foreach (var number in _store.Batches.Unfinished())
        {
            await PublishAsync(number, cancellationToken).ConfigureAwait(false);
            worked = true;
        }

        var due = _live
            ? _store.Live.AssignDuePeriod(Now(), _options.Window, _options.MaxBatchBytes)
            : _keys.CurrentEpoch() is { } epoch ? _store.Batches.AssignDue(epoch.Epoch, Now(), _options.Window, _options.MaxBatchBytes) : null;
        if (due is { } assigned)
        {
            await PublishAsync(assigned, cancellationToken).ConfigureAwait(false);
            worked = true;
        }

        return worked;
    }

    /// <summary>Sleeps until the oldest waiting frame's window ends, a wake-up, or the slow safety-net interval.</summary>
    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        // Arm first, then look: a frame journalled in between wakes the loop rather than being missed.
        Interlocked.Exchange(ref _pendingBytes, 0);
        Interlocked.Exchange(ref _wakeOnNextFrame, 1);
        var wait = _options.PollInterval;
        if (_live)
        {
            if (_store.Live.OldestWaitingMs() is { } oldest)
            {
                // A period is open: its end (or a full batch) wakes the loop, not every frame journalled meanwhile
                // (at 1,000 gateways one pass per frame was a SQLite write transaction per frame for nothing).
                Interlocked.Exchange(ref _wakeOnNextFrame, 0);
                var untilPeriod = TimeSpan.FromMilliseconds(Math.Max(0, oldest + _options.Window.TotalMilliseconds - Now()));
                wait = untilPeriod < wait ? untilPeriod : wait;
            }
        }
        else if (_store.Frames.Unbatched() is { } waiting && _keys.CurrentEpoch() is not null)
        {
            Interlocked.Exchange(ref _wakeOnNextFrame, 0);
            Interlocked.Add(ref _pendingBytes, waiting.Bytes);
            var untilDue = TimeSpan.FromMilliseconds(waiting.OldestReceivedMs + _options.Window.TotalMilliseconds - Now());
            wait = untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue < wait ? untilDue : wait;
        }

        await _wake.WaitAsync(wait, _time, cancellationToken).ConfigureAwait(false);
    }

    private async Task PublishAsync(ulong number, CancellationToken cancellationToken)
    {
        var row = _store.Batches.Read(number);
        var current = _keys.CurrentEpoch() ?? throw new InvalidOperationException("No committed key epoch.");
        var live = _store.Live.HoldsLive(number);
        if (live && row.Epoch != current.Epoch && row.Transaction is null)
        {
            // Its sub-batches are sealed under an epoch that ended: their frames are sealed again under the new one.
            _store.Live.Supersede(number);
            return;
        }

        if (row.Epoch != current.Epoch && row.Transaction is null)
        {
            // The key rotated before this batch was announced: seal it under the new epoch (and its own key) instead.
            _store.Batches.SetEpoch(number, current.Epoch);
            row = row with { Epoch = current.Epoch };
        }

        var key = _keys.Epoch(row.Epoch) ?? throw new InvalidOperationException($"The IoT key of epoch {row.Epoch} is missing.");
        List<JournalFrame> frames;
        try
        {
            frames = _store.Frames.ForBatch(number);
        }
        catch (TamperedFrameException e)
        {
            // An altered journal row: the batch cannot be sealed as journalled, so it is parked (never published), not retried.
            _store.Batches.MarkRefused(number, "TamperedJournal: " + e.Message, Now());
            Interlocked.Increment(ref _refusedBatches);
            _logger.LogError("Batch {Batch} parked, not published: {Message}", number, e.Message);
            _alerts?.Raise(new Alert(AlertKind.StoreTampered, $"IoT batch {number} of patient {_keys.Patient} parked, not published: {e.Message}")
            {
                Time = _time.GetUtcNow(),
                IdentityId = _keys.Patient.ToString(),
                Node = "gateway:" + _keys.Patient,
                Details = new Dictionary<string, string>
                {
                    ["object"] = "journal-row",
                    ["file"] = GatewayStore.FileName,
                    ["row"] = e.FrameId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["batch"] = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            });
            return;
        }

        var bundle = live ? new LiveBundle(_keys.Patient, row.Epoch, _store.Live.ForBatch(number)) : null;
        var sealedBatch = bundle?.Encode() ?? new IotBatch(_keys.Patient, row.Epoch, number, [.. frames.Select(f => f.Bytes)]).Seal(key.IotKey);
        var cid = await _content.PutCheckedAsync(sealedBatch, cancellationToken).ConfigureAwait(false);

        var transaction = row.Transaction is { } stored ? Transaction.Decode(stored) : null;
        if (transaction is null)
        {
            // The journal recorded each frame's kind, time and duration when it verified it: no second decode here.
            var kinds = frames.Select(f => (SensorKind)f.Kind).Distinct().Order().ToArray();
            transaction = _submitter.Sign(new IotPayload(row.Epoch, number, cid, frames.Min(f => f.TimestampMs), frames.Max(f => f.TimestampMs + f.DurationMs), kinds, (uint)frames.Count, bundle?.Anchor()));
            SaveTransaction(number, transaction, cid);
        }

        var outcome = await _submitter.SubmitAsync(transaction, t => SaveTransaction(number, t, cid), cancellationToken).ConfigureAwait(false);
        if (!outcome.Accepted)
        {
            await RefusedAsync(row, frames.Count, outcome, cancellationToken).ConfigureAwait(false);
            return;
        }

        var location = await _ledger.WaitForCommitAsync(outcome.Transaction.IdBytes, _submitter.CommitTimeout, cancellationToken).ConfigureAwait(false);
        _store.Batches.MarkCommitted(number, location.Height, Now());
        Interlocked.Add(ref _committedFrames, frames.Count);
        Interlocked.Increment(ref _committedBatches);
        Committed?.Invoke(new CommittedBatch(number, row.Epoch, frames.Count, cid, outcome.Transaction.IdHex, location, frames.Min(f => f.ReceivedMs)));
    }

    private async Task RefusedAsync(BatchRow row, int frameCount, SubmitOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Reason == RejectReason.StaleEpoch)
        {
            // A key transaction came first: forget this transaction; the batch is sealed again under the new epoch,
            // whose IoT key is new, so the repeated batch nonce is never used twice under one key.
            _logger.LogInformation("Batch {Batch} was signed for a superseded epoch {Epoch}; sealing it again", row.Number, row.Epoch);
            if (_store.Live.HoldsLive(row.Number))
            {
                _store.Live.Supersede(row.Number);
            }
            else
            {
                _store.Batches.ForgetTransaction(row.Number);
            }

            await _keys.ReconcileAsync(cancellationToken).ConfigureAwait(false);
            if (_keys.CurrentEpoch()?.Epoch == row.Epoch)
            {
                throw outcome.ToException();
            }

            return;
        }

        if (outcome.IsTransient)
        {
            throw outcome.ToException();
        }

        var message = outcome.Message ?? outcome.Reason.ToString();
        _store.Batches.MarkRefused(row.Number, $"{outcome.Reason}: {message}", Now());
        Interlocked.Increment(ref _refusedBatches);
        _logger.LogError("The ledger refused batch {Batch} (transaction {Transaction}) for good: {Reason}: {Message}; parked, not retried", row.Number, outcome.Transaction.IdHex, outcome.Reason, message);
        _alerts?.Raise(new Alert(AlertKind.TransactionRefused, $"The ledger refused IoT batch {row.Number} of patient {_keys.Patient} for good ({outcome.Reason}); parked with {frameCount} frames")
        {
            Time = _time.GetUtcNow(),
            IdentityId = _keys.Patient.ToString(),
            Node = "gateway:" + _keys.Patient,
            Details = new Dictionary<string, string>
            {
                ["patient"] = _keys.Patient.ToString(),
                ["batch"] = row.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["transaction"] = outcome.Transaction.IdHex,
                ["reason"] = outcome.Reason.ToString(),
                ["message"] = message,
            },
        });
        Refused?.Invoke(new RefusedBatch(row.Number, row.Epoch, frameCount, outcome.Transaction.IdHex, outcome.Reason, message));
    }

    private void SaveTransaction(ulong number, Transaction transaction, Cid cid) =>
        _store.Batches.SaveTransaction(number, transaction.Encode(), transaction.IdHex, cid.ToString());

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
