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
    private readonly SemaphoreSlim _journalled = new(0, 1);
    private int _signalled;
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
        if (_options.SealOnWrite && Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            _journalled.Release();
        }
    }

    /// <summary>Starts the loop.</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

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
                await WaitForFramesAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _signalled, 0);
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

    /// <summary>Returns when frames were journalled (seal on write) or the seal interval passed, whichever is first.</summary>
    private async Task WaitForFramesAsync(CancellationToken cancellationToken)
    {
        if (!_options.SealOnWrite)
        {
            await Task.Delay(_options.SealInterval, _time, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var interval = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(_options.SealInterval, _time, interval.Token);
        var signal = _journalled.WaitAsync(interval.Token);
        await Task.WhenAny(signal, timer).ConfigureAwait(false);
        await interval.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(signal, timer).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The other of the two was cancelled: expected.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        _journalled.Dispose();
    }
}
