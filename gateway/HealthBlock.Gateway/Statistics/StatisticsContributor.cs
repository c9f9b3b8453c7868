using HealthBlock.Gateway.Store;
using HealthBlock.Ledger;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Frames;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Statistics;

/// <summary>
/// The gateway's statistics contributor (issue 20): follows the frame journal, turns the frames into vital-sign events
/// (<see cref="VitalSignsExtractor"/>), counts them per period (<see cref="PeriodCounters"/>, periods aligned to the Unix
/// epoch), and once a period has ended and its grace has passed publishes it as one encrypted contribution when the
/// patient is opted in (<see cref="ContributionPublisher"/>). Readings of a period already closed are dropped and counted.
/// Progress (journal position and open counters) is saved together in <c>statistics.db</c>, so a restart neither loses a
/// saved period nor counts a frame twice; the ECG analyser's held beats (at most 20 s) are not saved.
/// </summary>
public sealed class StatisticsContributor : IAsyncDisposable
{
    private const int FramesPerRead = 500;
    private readonly GatewayStore _gateway;
    private readonly StatisticsStore _store;
    private readonly StatisticsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ContributionPublisher _publisher;
    private readonly VitalSignsExtractor _extractor = new();
    private readonly SortedDictionary<long, PeriodCounters> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _openCount;

    internal StatisticsContributor(GatewayStore gateway, LedgerSubmitter submitter, ILedgerReader ledger, StatisticsOptions options, ILogger logger, TimeProvider time)
    {
        options.Validate();
        _gateway = gateway;
        _options = options;
        _time = time;
        _logger = logger;
        _store = StatisticsStore.Open(Path.GetDirectoryName(gateway.Path)!);
        gateway.ScrubHold = _store.Meta("cursor", 0);
        _publisher = new ContributionPublisher(_store, submitter, ledger, options.Statistics, logger);
        foreach (var period in _store.OpenPeriods())
        {
            _open[period.StartMs] = period;
        }
    }

    /// <summary>Journalled frames read so far in this process.</summary>
    public long FramesRead { get; private set; }

    /// <summary>Readings dropped because their period was closed already, or a slot was full.</summary>
    public long DroppedReadings { get; private set; }

    /// <summary>Contributions committed by this process.</summary>
    public long Committed => _publisher.Committed;

    /// <summary>Periods closed without a contribution because the patient was not opted in for them.</summary>
    public long Skipped => _publisher.Skipped;

    /// <summary>Contributions the ledger refused for good.</summary>
    public long Refused => _publisher.Refused;

    /// <summary>Periods counted but not yet published (or closed without consent).</summary>
    public int OpenPeriods => Volatile.Read(ref _openCount);

    /// <summary>Passes that failed (ledger unreachable, no key published yet, …) and will be retried.</summary>
    public long Failures { get; private set; }

    /// <summary>Starts the background loop.</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>One pass: resubmits a signed contribution, reads the new frames, publishes the periods that are due.</summary>
    public async Task PassAsync(CancellationToken cancellationToken = default)
    {
        if (await _publisher.ResumeAsync(cancellationToken).ConfigureAwait(false) is { } resumed)
        {
            // Its submission failed in an earlier pass: it is finished now, never to be signed again.
            _open.Remove(resumed);
            Volatile.Write(ref _openCount, _open.Count);
        }

        ReadFrames();
        var closedBefore = ClosedBefore();
        while (_open.Count > 0 && _open.First().Value is { } period && period.EndMs <= closedBefore)
        {
            await _publisher.PublishAsync(period, cancellationToken).ConfigureAwait(false);
            _open.Remove(period.StartMs);
            Volatile.Write(ref _openCount, _open.Count);
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

        _store.Dispose();
        _stop.Dispose();
    }

    /// <summary>Periods ending at or before this time are closed: their grace has passed.</summary>
    private long ClosedBefore()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)_options.Grace.TotalMilliseconds;
        return now - (((now % _options.PeriodMs) + _options.PeriodMs) % _options.PeriodMs);
    }

    private void ReadFrames()
    {
        var cursor = _store.Meta("cursor", 0);
        while (true)
        {
            var frames = _gateway.Frames.After(cursor, FramesPerRead);
            if (frames.Count == 0)
            {
                return;
            }

            var events = new List<VitalSignEvent>();
            foreach (var (id, bytes) in frames)
            {
                cursor = id;
                try
                {
                    _extractor.Add(DeviceFrame.Decode(bytes), events);
                }
                catch (Exception e) when (e is ProtocolException or ArgumentException)
                {
                    _logger.LogWarning("Journalled frame {Id} gives no statistics: {Message}", id, e.Message);
                }
            }

            Count(events);
            Volatile.Write(ref _openCount, _open.Count);
            FramesRead += frames.Count;
            _store.SaveProgress(cursor, _open.Values);
            _gateway.Frames.ScrubCommitted(cursor);
        }
    }

    private void Count(List<VitalSignEvent> events)
    {
        var closedBefore = ClosedBefore();
        foreach (var e in events)
        {
            var start = e.TimeMs - (((e.TimeMs % _options.PeriodMs) + _options.PeriodMs) % _options.PeriodMs);
            if (start + _options.PeriodMs <= closedBefore)
            {
                DroppedReadings += e.Kind == VitalSignKind.WornSecond ? 0 : 1;
                continue;
            }

            if (!_open.TryGetValue(start, out var period))
            {
                period = new PeriodCounters(start, start + _options.PeriodMs);
                _open[start] = period;
            }

            if (!period.Add(e) && e.Kind != VitalSignKind.WornSecond)
            {
                DroppedReadings++;
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is LedgerRejectedException or HttpRequestException or IOException or TimeoutException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
            {
                Failures++;
                _logger.LogWarning("Statistics pass failed ({Type}: {Message}); retrying", e.GetType().Name, e.Message);
                try
                {
                    await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
