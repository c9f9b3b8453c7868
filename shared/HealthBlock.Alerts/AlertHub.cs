using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Alerts;

/// <summary>
/// The one alert path: <see cref="Raise"/> counts the alert by kind and hands it to every sink. It never throws
/// into the caller — a sink that fails is logged and counted, and the other sinks still get the alert — and it is
/// safe to call from any number of threads. Sinks are called on the raising thread, in the order they were added
/// (slow work belongs in the sink's own queue, as <see cref="SmtpAlertSink"/> does). Disposing the hub disposes its
/// sinks, which flushes the queued e-mail.
/// </summary>
public sealed partial class AlertHub : IAsyncDisposable, IDisposable
{
    /// <summary>How deep a sink may raise alerts through the hub it is called from before they are dropped.</summary>
    private const int MaxReentrancy = 2;

    [ThreadStatic]
    private static int t_depth;

    private readonly ILogger _logger;
    private readonly long[] _byKind = new long[AlertKinds.All.Max(k => (int)k) + 1];
    private ImmutableArray<SinkEntry> _sinks = [];
    private long _raised;
    private long _dropped;
    private int _disposed;

    /// <summary>Creates a hub with the given sinks.</summary>
    /// <param name="sinks">Where alerts go; more can be added with <see cref="Add"/>.</param>
    /// <param name="logger">Where the hub logs its own trouble (a failing sink).</param>
    public AlertHub(IEnumerable<IAlertSink>? sinks = null, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        foreach (var sink in sinks ?? [])
        {
            Add(sink);
        }
    }

    /// <summary>
    /// The hub every role starts from: alerts go to <paramref name="logger"/> (a <see cref="LogAlertSink"/>), which
    /// also logs the hub's own trouble; add e-mail, LEDs and the like with <see cref="Add"/>.
    /// </summary>
    public static AlertHub Logging(ILogger logger) => new([new LogAlertSink(logger)], logger);

    /// <summary>Alerts raised since the hub was created (including those dropped after disposal).</summary>
    public long RaisedCount => Interlocked.Read(ref _raised);

    /// <summary>Alerts not delivered to any sink: raised after disposal, null, or raised too deep from inside a sink.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>The sinks' names, in call order.</summary>
    public IReadOnlyList<string> SinkNames => _sinks.Select(s => s.Sink.Name).ToArray();

    /// <summary>Alerts raised, by kind (kinds never raised are absent).</summary>
    public IReadOnlyDictionary<AlertKind, long> CountsByKind
    {
        get
        {
            var counts = new Dictionary<AlertKind, long>();
            for (var i = 0; i < _byKind.Length; i++)
            {
                var n = Interlocked.Read(ref _byKind[i]);
                if (n > 0)
                {
                    counts[(AlertKind)i] = n;
                }
            }

            return counts;
        }
    }

    /// <summary>
    /// Failures of each sink: exceptions thrown from <see cref="IAlertSink.Publish"/> plus the sink's own
    /// <see cref="IAlertSink.DeferredFailures"/> (e.g. mails that could not be sent).
    /// </summary>
    public IReadOnlyDictionary<string, long> FailuresBySink
    {
        get
        {
            var result = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var entry in _sinks)
            {
                var failures = Interlocked.Read(ref entry.Failures) + SafeDeferredFailures(entry.Sink);
                result[entry.Sink.Name] = result.GetValueOrDefault(entry.Sink.Name) + failures;
            }

            return result;
        }
    }

    /// <summary>All sink failures (see <see cref="FailuresBySink"/>).</summary>
    public long SinkFailureCount => FailuresBySink.Values.Sum();

    /// <summary>Alerts of one kind raised so far.</summary>
    public long Count(AlertKind kind) => (uint)kind < (uint)_byKind.Length ? Interlocked.Read(ref _byKind[(int)kind]) : 0;

    /// <summary>Adds a sink; it receives the alerts raised from now on. The hub disposes it when the hub is disposed.</summary>
    public void Add(IAlertSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ImmutableInterlocked.Update(ref _sinks, (list, s) => list.Add(new SinkEntry(s)), sink);
    }

    /// <summary>
    /// Counts <paramref name="alert"/> and hands it to every sink. Never throws: a failing sink is logged and counted;
    /// after disposal the alert is counted and dropped.
    /// </summary>
    public void Raise(Alert alert)
    {
        Interlocked.Increment(ref _raised);
        if (alert is null)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        var kind = (uint)alert.Kind < (uint)_byKind.Length ? (int)alert.Kind : (int)AlertKind.Other;
        Interlocked.Increment(ref _byKind[kind]);
        AlertMetrics.Count((AlertKind)kind);

        if (Volatile.Read(ref _disposed) != 0 || t_depth >= MaxReentrancy)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        t_depth++;
        try
        {
            foreach (var entry in _sinks)
            {
                try
                {
                    entry.Sink.Publish(alert);
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref entry.Failures);
                    LogSinkFailure(entry.Sink.Name, alert.Kind, e);
                }
            }
        }
        finally
        {
            t_depth--;
        }
    }

    /// <summary>Disposes the sinks (flushing queued e-mail); later alerts are counted and dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var entry in _sinks)
        {
            try
            {
                switch (entry.Sink)
                {
                    case IAsyncDisposable asyncDisposable:
                        await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref entry.Failures);
                LogSinkDisposeFailure(entry.Sink.Name, e);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private long SafeDeferredFailures(IAlertSink sink)
    {
        try
        {
            return sink.DeferredFailures;
        }
        catch (Exception e)
        {
            LogSinkFailure(sink.Name, AlertKind.Other, e);
            return 0;
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Error, Message = "Alert sink {Sink} failed on a {AlertKind} alert")]
    private partial void LogSinkFailure(string sink, AlertKind alertKind, Exception exception);

    [LoggerMessage(EventId = 901, Level = LogLevel.Error, Message = "Alert sink {Sink} failed to close")]
    private partial void LogSinkDisposeFailure(string sink, Exception exception);

    private sealed class SinkEntry(IAlertSink sink)
    {
        public long Failures;

        public IAlertSink Sink { get; } = sink;
    }
}
