using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Store;
using HealthBlock.Protocol.Content;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Live;

/// <summary>
/// As soon as frames are journalled (<see cref="NotifyJournalled"/>, when <see cref="LiveOptions.SealOnWrite"/>) and at
/// the latest every <see cref="LiveOptions.SealInterval"/>, seals the frames journalled since the last sub-batch under the
/// current epoch's IoT key (<see cref="LiveBatch"/>; the sequence number is taken in the write that stores the sealed bytes) and
/// publishes each sub-batch with QoS 0 on <c>hb/live/&lt;patient&gt;</c>. Publishing is best effort: a sub-batch the
/// broker does not take is counted and left to the chain path (the period's IoT transaction commits it all the same).
/// </summary>
public sealed class LiveSealer : IAsyncDisposable
{
    private readonly GatewayStore _store;
    private readonly PatientKeyManager _keys;
    private readonly ILivePublisher _publisher;
    private readonly LiveOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _wake = NewWake();
    private ITimer? _interval;
    private readonly string _topic;
    private Task? _loop;
    private long _sealed;
    private long _published;
    private long _dropped;

    /// <summary>Creates the sealer; call <see cref="Start"/>.</summary>
    public LiveSealer(GatewayStore store, PatientKeyManager keys, ILivePublisher publisher, LiveOptions options, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _keys = keys;
        _publisher = publisher;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _topic = LiveTopic.For(keys.Patient);
    }

    /// <summary>Raised for each sub-batch after it was offered to the broker.</summary>
    public event Action<LiveSubBatch>? SubBatchSealed;

    /// <summary>Sub-batches sealed since start.</summary>
    public long Sealed => Interlocked.Read(ref _sealed);

    /// <summary>Sub-batches the broker took since start.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Sub-batches the broker did not take since start (left to the chain path).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Frames were journalled: with <see cref="LiveOptions.SealOnWrite"/> the loop seals them now rather than at the end
    /// of the interval. Frames journalled while a seal runs are taken by the next one (one wake-up is kept, not one per
    /// frame), so a burst becomes a few sub-batches, not one per frame.
    /// </summary>
    public void NotifyJournalled()
    {
        if (_options.SealOnWrite)
        {
            Wake();
        }
    }

    /// <summary>Starts the loop, and the timer that wakes it every seal interval.</summary>
    public void Start()
    {
        // One periodic timer per gateway (not one per wait: at 1,000 gateways sealing on every write, a timer and a
        // linked cancellation per wait cost more CPU than the sealing).
        _interval = _time.CreateTimer(_ => Wake(), null, _options.SealInterval, _options.SealInterval);
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Seals and publishes what is waiting now; returns how many sub-batches were sealed.</summary>
    public async Task<int> SealNowAsync(CancellationToken cancellationToken)
    {
        if (_keys.CurrentEpoch() is not { } epoch)
        {
            return 0;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var batches = _store.Live.SealWaiting(_keys.Patient, epoch.Epoch, epoch.IotKey, now, LiveBatch.MaxPlaintextSize);
        foreach (var b in batches)
        {
            Interlocked.Increment(ref _sealed);
            var published = await _publisher.PublishAsync(_topic, b.Sealed, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref published ? ref _published : ref _dropped);
            SubBatchSealed?.Invoke(new LiveSubBatch(b.Epoch, b.Sequence, LiveBatch.Hash(b.Sealed), b.CreatedMs, published));
        }

        return batches.Count;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var wake = Volatile.Read(ref _wake);
                await wake.Task.WaitAsync(cancellationToken).ConfigureAwait(false);

                // Re-armed before sealing: a frame journalled during the seal wakes the next round (one journalled
                // before it is in this seal).
                Interlocked.CompareExchange(ref _wake, NewWake(), wake);
                await SealNowAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                _logger.LogWarning("Sealing live sub-batches failed ({Message}); trying again next interval", e.Message);
            }
        }
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_interval is not null)
        {
            await _interval.DisposeAsync().ConfigureAwait(false);
        }

        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
