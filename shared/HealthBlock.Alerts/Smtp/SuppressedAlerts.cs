using System.Globalization;
using System.Text;

namespace HealthBlock.Alerts;

/// <summary>Why an alert was summarised rather than listed in full.</summary>
internal enum SuppressionReason
{
    /// <summary>More alerts were waiting than one mail lists in full.</summary>
    MailFull,

    /// <summary>The rate limit had no mail left in the window.</summary>
    RateLimited,

    /// <summary>The queue was full when the alert was raised.</summary>
    QueueFull,

    /// <summary>The mail that carried it could not be sent.</summary>
    SendFailed,

    /// <summary>It arrived while the sink waited to retry a server that had failed.</summary>
    RetryBackoff,
}

/// <summary>
/// Counts of alerts that are not listed in full, for the "N more alerts suppressed" paragraph of the next mail:
/// by kind, by reason, and the most frequent client addresses and device ids (distinct values are capped, so an
/// attacker cycling addresses cannot grow it without bound). Thread-safe.
/// </summary>
internal sealed class SuppressedAlerts
{
    /// <summary>Distinct addresses or devices tracked; the rest are counted as "other".</summary>
    internal const int MaxDistinctSources = 256;

    /// <summary>Sources named in the summary.</summary>
    internal const int TopSources = 5;

    private readonly object _lock = new();
    private readonly SortedDictionary<AlertKind, long> _byKind = [];
    private readonly SortedDictionary<SuppressionReason, long> _byReason = [];
    private readonly Dictionary<string, long> _byAddress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byDevice = new(StringComparer.Ordinal);
    private long _otherAddresses;
    private long _otherDevices;
    private long _total;
    private DateTimeOffset _first = DateTimeOffset.MaxValue;
    private DateTimeOffset _last = DateTimeOffset.MinValue;

    public long Total
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    public void Add(Alert alert, SuppressionReason reason)
    {
        lock (_lock)
        {
            _total++;
            _byKind[alert.Kind] = _byKind.GetValueOrDefault(alert.Kind) + 1;
            _byReason[reason] = _byReason.GetValueOrDefault(reason) + 1;
            Count(_byAddress, alert.ClientAddress, ref _otherAddresses);
            Count(_byDevice, alert.DeviceId, ref _otherDevices);
            if (alert.Time < _first)
            {
                _first = alert.Time;
            }

            if (alert.Time > _last)
            {
                _last = alert.Time;
            }
        }
    }

    /// <summary>Moves everything counted into a snapshot and starts again from zero.</summary>
    public Snapshot Take()
    {
        lock (_lock)
        {
            var snapshot = new Snapshot(
                _total,
                new SortedDictionary<AlertKind, long>(_byKind),
                new SortedDictionary<SuppressionReason, long>(_byReason),
                Top(_byAddress, _otherAddresses),
                Top(_byDevice, _otherDevices),
                _first,
                _last);
            _total = 0;
            _byKind.Clear();
            _byReason.Clear();
            _byAddress.Clear();
            _byDevice.Clear();
            _otherAddresses = 0;
            _otherDevices = 0;
            _first = DateTimeOffset.MaxValue;
            _last = DateTimeOffset.MinValue;
            return snapshot;
        }
    }

    /// <summary>Puts back a snapshot whose mail could not be sent (sources beyond the top ones are merged as other).</summary>
    public void Restore(Snapshot snapshot)
    {
        if (snapshot.Total == 0)
        {
            return;
        }

        lock (_lock)
        {
            _total += snapshot.Total;
            foreach (var (kind, n) in snapshot.ByKind)
            {
                _byKind[kind] = _byKind.GetValueOrDefault(kind) + n;
            }

            _byReason[SuppressionReason.SendFailed] = _byReason.GetValueOrDefault(SuppressionReason.SendFailed) + snapshot.Total;
            Merge(_byAddress, snapshot.TopAddresses, ref _otherAddresses);
            Merge(_byDevice, snapshot.TopDevices, ref _otherDevices);
            _first = snapshot.First < _first ? snapshot.First : _first;
            _last = snapshot.Last > _last ? snapshot.Last : _last;
        }
    }

    private static void Count(Dictionary<string, long> counts, string? key, ref long other)
    {
        if (string.IsNullOrEmpty(key))
        {
            return;
        }

        if (counts.TryGetValue(key, out var n) || counts.Count < MaxDistinctSources)
        {
            counts[key] = n + 1;
        }
        else
        {
            other++;
        }
    }

    private static void Merge(Dictionary<string, long> counts, IReadOnlyList<KeyValuePair<string, long>> top, ref long other)
    {
        foreach (var (key, n) in top)
        {
            if (key.Length == 0)
            {
                other += n;
            }
            else if (counts.TryGetValue(key, out var m) || counts.Count < MaxDistinctSources)
            {
                counts[key] = m + n;
            }
            else
            {
                other += n;
            }
        }
    }

    /// <summary>The most frequent sources, then one entry with an empty key for all the others.</summary>
    private static List<KeyValuePair<string, long>> Top(Dictionary<string, long> counts, long other)
    {
        var ordered = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        var top = ordered.Take(TopSources).ToList();
        var rest = other + ordered.Skip(TopSources).Sum(c => c.Value);
        if (rest > 0)
        {
            top.Add(new(string.Empty, rest));
        }

        return top;
    }

    /// <summary>What was suppressed since the last mail.</summary>
    public sealed record Snapshot(
        long Total,
        IReadOnlyDictionary<AlertKind, long> ByKind,
        IReadOnlyDictionary<SuppressionReason, long> ByReason,
        IReadOnlyList<KeyValuePair<string, long>> TopAddresses,
        IReadOnlyList<KeyValuePair<string, long>> TopDevices,
        DateTimeOffset First,
        DateTimeOffset Last)
    {
        /// <summary>
        /// The paragraph of the mail; its first line is <c>N more alerts suppressed: by kind K1 n1, K2 n2</c>.
        /// </summary>
        public string Describe(SmtpAlertOptions options)
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{Total} more alerts suppressed: by kind ")
                .AppendJoin(", ", ByKind.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Key} {k.Value}")))
                .Append('\n');
            text.Append(CultureInfo.InvariantCulture, $"Between: {AlertMail.FormatTime(First)} and {AlertMail.FormatTime(Last)}\n");
            text.Append("Why: ")
                .AppendJoin(", ", ByReason.Select(r => string.Create(CultureInfo.InvariantCulture, $"{ReasonText(r.Key, options)} {r.Value}")))
                .Append('\n');
            AppendSources(text, "Top client addresses: ", TopAddresses);
            AppendSources(text, "Top device ids: ", TopDevices);
            return text.ToString();
        }

        private static void AppendSources(StringBuilder text, string label, IReadOnlyList<KeyValuePair<string, long>> sources)
        {
            if (sources.Count == 0)
            {
                return;
            }

            text.Append(label)
                .AppendJoin(", ", sources.Select(s => string.Create(CultureInfo.InvariantCulture, $"{(s.Key.Length == 0 ? "others" : s.Key)} {s.Value}")))
                .Append('\n');
        }

        private static string ReasonText(SuppressionReason reason, SmtpAlertOptions options) => reason switch
        {
            SuppressionReason.MailFull => $"beyond {options.MaxAlertsPerMail} per mail",
            SuppressionReason.RateLimited => string.Create(CultureInfo.InvariantCulture, $"rate limit ({options.MaxMailsPerWindow} mails per {options.Window})"),
            SuppressionReason.QueueFull => "queue full",
            SuppressionReason.SendFailed => "earlier mail failed",
            SuppressionReason.RetryBackoff => "waiting to retry the server",
            _ => reason.ToString(),
        };
    }
}
