using System.Collections.Concurrent;
using HealthBlock.Alerts;

namespace HealthBlock.Gateway.Mqtt;

/// <summary>
/// Counts every limit hit of the broker's listener and raises it on the gateway's <see cref="AlertHub"/>, summarised: the
/// first hit of a kind is alerted at once; later hits of that kind within <see cref="MqttListenerLimits.AlertInterval"/>
/// are only counted and go out in one summary alert (how many, from how many addresses, the busiest address) when the
/// interval ends. A flood of a million connections is thus a handful of alerts, and never silent.
/// </summary>
public sealed class ListenerLimitCounters : IDisposable
{
    private readonly ConcurrentDictionary<ListenerLimit, long> _totals = new();
    private readonly Dictionary<ListenerLimit, Pending> _pending = [];
    private readonly Dictionary<ListenerLimit, DateTimeOffset> _lastAlert = [];
    private readonly Lock _lock = new();
    private readonly AlertHub? _hub;
    private readonly string _node;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ITimer _flush;

    /// <summary>Creates the counters.</summary>
    /// <param name="hub">Where alerts go (null: counted only).</param>
    /// <param name="node">The alerts' node field.</param>
    /// <param name="interval">Smallest interval between two alerts of one kind.</param>
    /// <param name="time">The clock.</param>
    public ListenerLimitCounters(AlertHub? hub, string node, TimeSpan interval, TimeProvider? time = null)
    {
        _hub = hub;
        _node = node;
        _interval = interval;
        _time = time ?? TimeProvider.System;
        var period = interval < TimeSpan.FromSeconds(1) ? interval : TimeSpan.FromSeconds(1);
        _flush = _time.CreateTimer(_ => Flush(), null, period, period);
    }

    /// <summary>Hits of <paramref name="limit"/> since start.</summary>
    public long this[ListenerLimit limit] => _totals.GetValueOrDefault(limit);

    /// <summary>Alerts raised so far (first hits and summaries).</summary>
    public long AlertsRaised { get; private set; }

    /// <summary>Counts one hit of <paramref name="limit"/> from <paramref name="address"/>.</summary>
    public void Count(ListenerLimit limit, string? address, string? clientId = null)
    {
        _totals.AddOrUpdate(limit, 1, (_, n) => n + 1);
        Alert? alert = null;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (!_lastAlert.TryGetValue(limit, out var last) || now - last >= _interval)
            {
                _lastAlert[limit] = now;
                alert = Describe(limit, 1, address, 1, address, clientId);
            }
            else
            {
                if (!_pending.TryGetValue(limit, out var pending))
                {
                    _pending[limit] = pending = new Pending();
                }

                pending.Add(address);
            }
        }

        Raise(alert);
    }

    /// <summary>Sends the summaries whose interval has ended.</summary>
    public void Flush()
    {
        var alerts = new List<Alert>();
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            foreach (var (limit, pending) in _pending.ToList())
            {
                if (now - _lastAlert.GetValueOrDefault(limit) >= _interval)
                {
                    var (busiest, fromBusiest) = pending.Busiest();
                    alerts.Add(Describe(limit, pending.Count, busiest, pending.Addresses, busiest, null, summary: fromBusiest));
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

    /// <inheritdoc />
    public void Dispose()
    {
        _flush.Dispose();
        Flush();
    }

    private void Raise(Alert? alert)
    {
        if (alert is null || _hub is null)
        {
            return;
        }

        lock (_lock)
        {
            AlertsRaised++;
        }

        _hub.Raise(alert);
    }

    private Alert Describe(ListenerLimit limit, long hits, string? address, long addresses, string? busiest, string? clientId, long? summary = null)
    {
        var kind = limit == ListenerLimit.BadCredentials ? AlertKind.MqttLoginRefused : AlertKind.LimitReached;
        var message = summary is { } fromBusiest
            ? $"MQTT listener limit {limit} hit {hits} more times from {addresses} address(es), {fromBusiest} from {busiest ?? "?"}"
            : $"MQTT listener limit {limit} hit by {address ?? "?"}";
        return new Alert(kind, message)
        {
            Node = _node,
            Time = _time.GetUtcNow(),
            ClientAddress = address,
            ClientId = clientId,
            Details = new Dictionary<string, string>
            {
                ["limit"] = limit.ToString(),
                ["hits"] = hits.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["total"] = this[limit].ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
    }

    private sealed class Pending
    {
        private readonly Dictionary<string, long> _byAddress = [];

        public long Count { get; private set; }

        public int Addresses => _byAddress.Count;

        public void Add(string? address)
        {
            Count++;
            var key = HostOf(address);
            if (_byAddress.Count < 1024 || _byAddress.ContainsKey(key))
            {
                _byAddress[key] = _byAddress.GetValueOrDefault(key) + 1;
            }
        }

        public (string? Address, long Hits) Busiest() =>
            _byAddress.Count == 0 ? (null, 0) : _byAddress.MaxBy(p => p.Value) is var top ? (top.Key, top.Value) : default;

        private static string HostOf(string? address) =>
            address is not null && System.Net.IPEndPoint.TryParse(address, out var endpoint) ? endpoint.Address.ToString() : address ?? "?";
    }
}
