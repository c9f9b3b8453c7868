using System.Collections.Concurrent;
using System.Globalization;

namespace HealthBlock.Alerts;

/// <summary>
/// Counts every hit of a bound (connections, packet and body sizes, rates, logins) and raises it without flooding the
/// hub: the first hit of a limit is alerted at once; later hits of that limit within <see cref="Window"/> are only
/// counted and go out as one summary (how many, from how many sources, the busiest source) when the window ends, on
/// the summariser's own timer — so a flood that stops is still reported. A million refused connections are a handful of
/// alerts that still name a source. One summariser serves every listener of a process (ledger HTTP, MQTT).
/// </summary>
public sealed class LimitAlerts : IDisposable
{
    private const int MaxSourcesTracked = 1024;

    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastAlert = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private readonly AlertHub? _hub;
    private readonly string _node;
    private readonly TimeProvider _time;
    private readonly ITimer _flush;
    private long _alertsRaised;

    /// <summary>Creates the summariser for <paramref name="node"/>.</summary>
    /// <param name="hub">Where alerts go (null: counted only).</param>
    /// <param name="node">The alerts' node field and message prefix.</param>
    /// <param name="window">Smallest interval between two alerts of one limit (default one minute).</param>
    /// <param name="time">The clock (and the flush timer's).</param>
    public LimitAlerts(AlertHub? hub, string node, TimeSpan? window = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        _hub = hub;
        _node = node;
        Window = window ?? TimeSpan.FromMinutes(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Window, TimeSpan.Zero, nameof(window));
        _time = time ?? TimeProvider.System;
        var period = Window < TimeSpan.FromSeconds(1) ? Window : TimeSpan.FromSeconds(1);
        _flush = _time.CreateTimer(_ => Flush(), null, period, period);
    }

    /// <summary>Smallest interval between two alerts of one limit: hits in between are summarised.</summary>
    public TimeSpan Window { get; }

    /// <summary>Alerts raised so far (first hits and summaries).</summary>
    public long AlertsRaised => Interlocked.Read(ref _alertsRaised);

    /// <summary>Hits of <paramref name="limit"/> since start.</summary>
    public long this[string limit] => _totals.GetValueOrDefault(limit);

    /// <summary>Records one hit of <paramref name="limit"/> by <paramref name="source"/> (an address, with or without port).</summary>
    /// <param name="limit">The limit's name, as alerts and <see cref="this[string]"/> show it.</param>
    /// <param name="source">Who hit it.</param>
    /// <param name="clientId">The client's own id, when the protocol has one (MQTT).</param>
    /// <param name="kind">The alert kind (a refused login is not a resource limit).</param>
    public void Hit(string limit, string? source, string? clientId = null, AlertKind kind = AlertKind.LimitReached)
    {
        ArgumentException.ThrowIfNullOrEmpty(limit);
        _totals.AddOrUpdate(limit, 1, (_, n) => n + 1);
        Alert? alert = null;
        lock (_sync)
        {
            var now = _time.GetUtcNow();
            if (!_lastAlert.TryGetValue(limit, out var last) || now - last >= Window)
            {
                _lastAlert[limit] = now;
                alert = Describe(limit, kind, $"{_node}: {limit} hit by {source ?? "?"}; the excess is refused", 1, source, clientId);
            }
            else
            {
                if (!_pending.TryGetValue(limit, out var pending))
                {
                    _pending[limit] = pending = new Pending(kind);
                }

                pending.Add(source);
            }
        }

        Raise(alert);
    }

    /// <summary>Sends the summaries whose window has ended (the timer calls it every second).</summary>
    public void Flush() => Flush(force: false);

    /// <summary>Stops the timer and sends every pending summary.</summary>
    public void Dispose()
    {
        _flush.Dispose();
        Flush(force: true);
    }

    private void Flush(bool force)
    {
        var alerts = new List<Alert>();
        lock (_sync)
        {
            var now = _time.GetUtcNow();
            foreach (var (limit, pending) in _pending.ToList())
            {
                var since = _lastAlert.GetValueOrDefault(limit);
                if (force || now - since >= Window)
                {
                    var (busiest, fromBusiest) = pending.Busiest();
                    var message = $"{_node}: {limit} hit {pending.Count} more times in {(now - since).TotalSeconds:0} s from {pending.Sources} source(s), {fromBusiest} from the busiest, {busiest ?? "?"}";
                    alerts.Add(Describe(limit, pending.Kind, message, pending.Count, busiest, null));
                    _lastAlert[limit] = now;
                    _pending.Remove(limit);
                }
            }
        }

        foreach (var alert in alerts)
        {
            Raise(alert);
        }
    }

    private void Raise(Alert? alert)
    {
        if (alert is null || _hub is null)
        {
            return;
        }

        Interlocked.Increment(ref _alertsRaised);
        _hub.Raise(alert);
    }

    private Alert Describe(string limit, AlertKind kind, string message, long hits, string? source, string? clientId) =>
        new(kind, message)
        {
            Node = _node,
            Time = _time.GetUtcNow(),
            ClientAddress = source,
            ClientId = clientId,
            Details = new Dictionary<string, string>
            {
                ["limit"] = limit,
                ["hits"] = hits.ToString(CultureInfo.InvariantCulture),
                ["total"] = this[limit].ToString(CultureInfo.InvariantCulture),
            },
        };

    private sealed class Pending(AlertKind kind)
    {
        private readonly Dictionary<string, long> _bySource = new(StringComparer.Ordinal);

        public AlertKind Kind { get; } = kind;

        public long Count { get; private set; }

        public int Sources => _bySource.Count;

        public void Add(string? source)
        {
            Count++;
            var key = HostOf(source);
            if (_bySource.Count < MaxSourcesTracked || _bySource.ContainsKey(key))
            {
                _bySource[key] = _bySource.GetValueOrDefault(key) + 1;
            }
        }

        public (string? Source, long Hits) Busiest() =>
            _bySource.Count == 0 ? (null, 0) : _bySource.MaxBy(p => p.Value) is var top ? (top.Key, top.Value) : default;

        private static string HostOf(string? source) =>
            source is not null && System.Net.IPEndPoint.TryParse(source, out var endpoint) ? endpoint.Address.ToString() : source ?? "?";
    }
}
