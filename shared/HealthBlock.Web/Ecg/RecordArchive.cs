using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Storage;

namespace HealthBlock.Web.Ecg;

/// <summary>
/// A patient's readings from the record itself: the IoT batches committed on Userchain, fetched from the content store
/// (which verifies each block against its CID) and opened with the IoT key of their epoch — whichever keys the caller
/// holds (a patient all of its own, a doctor the epochs it was granted). What it decrypts it keeps, decoded, up to
/// <see cref="RecordArchiveOptions.MaxCachedSamples"/>; each device's ECG frames stay in one time-sorted list, so a
/// range — 24 h included — is answered by <see cref="EcgSeriesBuilder"/> without reopening anything. Safe for
/// concurrent use (queries run one at a time).
/// </summary>
public sealed class RecordArchive : IDisposable
{
    private readonly IContentStore _store;
    private readonly IdentityId _patient;
    private readonly Func<uint, byte[]?> _iotKeyOf;
    private readonly RecordArchiveOptions _options;
    private readonly BatchIndex _index;
    private readonly Dictionary<string, OpenedBatch> _opened = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, List<EcgSamples>> _timelines = [];
    private readonly HashSet<ulong> _unsorted = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _cachedSamples;
    private long _tick;
    private long _syncedAt = long.MinValue;

    /// <summary>Creates the archive of <paramref name="patient"/>.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="store">The content store.</param>
    /// <param name="patient">The patient.</param>
    /// <param name="iotKeyOf">The IoT key of an epoch, or null when the caller does not hold it.</param>
    /// <param name="options">Cache and refresh settings.</param>
    public RecordArchive(ILedgerReader ledger, IContentStore store, IdentityId patient, Func<uint, byte[]?> iotKeyOf, RecordArchiveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(iotKeyOf);
        _store = store;
        _patient = patient;
        _iotKeyOf = iotKeyOf;
        _options = options ?? new RecordArchiveOptions();
        _index = new BatchIndex(ledger, patient);
    }

    /// <summary>ECG samples held decrypted now.</summary>
    public long CachedSamples => Interlocked.Read(ref _cachedSamples);

    /// <summary>Batches that could not be opened so far, with the reason.</summary>
    public IReadOnlyList<string> Unreadable
    {
        get
        {
            lock (_opened)
            {
                return [.. _opened.Where(o => o.Value.Error is not null).Select(o => $"{o.Key}: {o.Value.Error}")];
            }
        }
    }

    /// <summary>The ECG of <paramref name="device"/> in [<paramref name="fromMs"/>, <paramref name="toMs"/>), at most <paramref name="maxPoints"/> points.</summary>
    public async Task<EcgSeries> EcgAsync(ulong device, long fromMs, long toMs, int maxPoints, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LoadAsync(fromMs, toMs, b => b.HasEcg, cancellationToken).ConfigureAwait(false);
            return EcgSeriesBuilder.Build(device, Timeline(device), fromMs, toMs, maxPoints);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The blood-pressure and temperature readings in [<paramref name="fromMs"/>, <paramref name="toMs"/>), in time order.</summary>
    public async Task<IReadOnlyList<VitalSign>> VitalsAsync(long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var batches = await LoadAsync(fromMs, toMs, b => b.HasVitals, cancellationToken).ConfigureAwait(false);
            return [.. batches.SelectMany(b => b.Vitals).Where(v => v.TimeMs >= fromMs && v.TimeMs < toMs).OrderBy(v => v.TimeMs)];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The devices with ECG in [<paramref name="fromMs"/>, <paramref name="toMs"/>).</summary>
    public async Task<IReadOnlyList<ulong>> EcgDevicesAsync(long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var batches = await LoadAsync(fromMs, toMs, b => b.HasEcg, cancellationToken).ConfigureAwait(false);
            return [.. batches.SelectMany(b => b.Ecg).Where(e => e.StartMs < toMs && e.EndMs > fromMs).Select(e => e.Device).Distinct().Order()];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    /// <summary>Makes sure every wanted batch overlapping the range is opened; returns them.</summary>
    private async Task<List<OpenedBatch>> LoadAsync(long fromMs, long toMs, Func<BatchRef, bool> wanted, CancellationToken cancellationToken)
    {
        var now = _options.Time.GetTimestamp();
        if (_syncedAt == long.MinValue || _options.Time.GetElapsedTime(_syncedAt, now) >= _options.IndexRefresh)
        {
            await _index.SyncAsync(cancellationToken).ConfigureAwait(false);
            _syncedAt = now;
        }

        var needed = _index.Overlapping(fromMs, toMs).Where(wanted).ToList();
        var missing = needed.Where(b => !_opened.ContainsKey(b.TransactionId)).ToList();
        using var limit = new SemaphoreSlim(Math.Max(1, _options.OpenConcurrency));
        var fresh = await Task.WhenAll(missing.Select(async b =>
        {
            await limit.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return (Ref: b, Opened: await OpenAsync(b, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                limit.Release();
            }
        })).ConfigureAwait(false);

        var tick = ++_tick;
        lock (_opened)
        {
            foreach (var (b, opened) in fresh)
            {
                _opened[b.TransactionId] = opened;
                _cachedSamples += opened.Samples;
                AddToTimelines(opened);
            }

            var result = needed.Select(b => _opened[b.TransactionId]).ToList();
            foreach (var o in result)
            {
                o.LastUsed = tick;
            }

            Evict(tick);
            return result;
        }
    }

    private async Task<OpenedBatch> OpenAsync(BatchRef b, CancellationToken cancellationToken)
    {
        if (_iotKeyOf(b.Epoch) is not { } key)
        {
            return OpenedBatch.Unreadable($"no IoT key for epoch {b.Epoch}");
        }

        try
        {
            var opened = IotBlock.OpenFrames(await _store.GetAsync(b.Cid, cancellationToken).ConfigureAwait(false), key, _patient, b.Epoch, b.Batch, b.Live);
            return OpenedBatch.FromFrames(opened.Select(f => DeviceFrame.Decode(f)));
        }
        catch (Exception e) when (e is StoreException or CryptoException or ProtocolException)
        {
            return OpenedBatch.Unreadable(e.Message);
        }
    }

    private void AddToTimelines(OpenedBatch opened)
    {
        foreach (var frame in opened.Ecg)
        {
            if (!_timelines.TryGetValue(frame.Device, out var list))
            {
                _timelines[frame.Device] = list = [];
            }

            if (list.Count > 0 && list[^1].StartMs > frame.StartMs)
            {
                _unsorted.Add(frame.Device);
            }

            list.Add(frame);
        }
    }

    private List<EcgSamples> Timeline(ulong device)
    {
        lock (_opened)
        {
            if (!_timelines.TryGetValue(device, out var list))
            {
                return [];
            }

            if (_unsorted.Remove(device))
            {
                list.Sort((a, b) => a.StartMs.CompareTo(b.StartMs));
            }

            return list;
        }
    }

    /// <summary>Drops the least recently used batches (never those of the current query) while over the cap.</summary>
    private void Evict(long currentTick)
    {
        if (_cachedSamples <= _options.MaxCachedSamples)
        {
            return;
        }

        foreach (var (id, opened) in _opened.Where(o => o.Value.LastUsed < currentTick && o.Value.Samples > 0).OrderBy(o => o.Value.LastUsed).ToList())
        {
            if (_cachedSamples <= _options.MaxCachedSamples)
            {
                break;
            }

            _opened.Remove(id);
            _cachedSamples -= opened.Samples;
        }

        _timelines.Clear();
        _unsorted.Clear();
        foreach (var opened in _opened.Values)
        {
            AddToTimelines(opened);
        }
    }
}
