namespace HealthBlock.Alerts;

/// <summary>
/// Raises <see cref="AlertKind.LimitReached"/> for bound hits without flooding the hub: the first hit of a limit
/// raises at once; later hits within <see cref="Window"/> are counted and raised as one summary (how many, from how
/// many sources, the last source) with the first hit after the window. A flood of a million refused connections is a
/// handful of alerts that still name a source.
/// </summary>
public sealed class LimitAlerts
{
    private readonly AlertHub _hub;
    private readonly string _node;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Pending> _byLimit = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    /// <summary>Creates the summariser for <paramref name="node"/>, raising into <paramref name="hub"/>.</summary>
    public LimitAlerts(AlertHub hub, string node, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(hub);
        _hub = hub;
        _node = node;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How long hits of one limit are gathered into one summary.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Records one hit of <paramref name="limit"/> by <paramref name="source"/> (an address), raising as described.</summary>
    public void Hit(string limit, string? source)
    {
        ArgumentException.ThrowIfNullOrEmpty(limit);
        var now = _time.GetUtcNow();
        Alert? alert = null;
        lock (_sync)
        {
            if (!_byLimit.TryGetValue(limit, out var pending))
            {
                _byLimit[limit] = new Pending(now);
                alert = Make(limit, source, $"{_node}: {limit} (from {source ?? "?"}); the excess is refused");
            }
            else
            {
                pending.Count++;
                if (source is not null && pending.Sources.Count < 1024)
                {
                    pending.Sources.Add(source);
                }

                if (now - pending.Since >= Window)
                {
                    alert = Make(limit, source, $"{_node}: {limit} {pending.Count} more times in {(now - pending.Since).TotalSeconds:0} s from {pending.Sources.Count} source(s), last {source ?? "?"}");
                    _byLimit[limit] = new Pending(now) { Count = 0 };
                }
            }
        }

        if (alert is not null)
        {
            _hub.Raise(alert);
        }
    }

    private Alert Make(string limit, string? source, string message) =>
        new(AlertKind.LimitReached, message) { Node = _node, ClientAddress = source, Details = new Dictionary<string, string> { ["limit"] = limit } };

    private sealed class Pending(DateTimeOffset since)
    {
        public DateTimeOffset Since { get; } = since;

        public long Count { get; set; }

        public HashSet<string> Sources { get; } = new(StringComparer.Ordinal);
    }
}
