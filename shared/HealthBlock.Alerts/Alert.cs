using System.Collections.ObjectModel;
using System.Globalization;
using System.Net;
using System.Text;

namespace HealthBlock.Alerts;

/// <summary>
/// One alert: what happened (<see cref="Kind"/>, <see cref="Severity"/>, a one-line <see cref="Message"/>), when,
/// and where it came from — device id and hardware MAC address, client network address, MQTT client id, identity id and
/// node, each optional — plus free-form <see cref="Details"/>.
/// </summary>
/// <remarks>
/// Alerts often carry attacker-chosen text (an MQTT client id, a topic, a device id read from a forged frame). Every
/// text field is therefore reduced to one line of printable characters and capped in length when it is set, so an
/// alert can neither inject header lines into an e-mail nor forge extra lines in a log.
/// </remarks>
/// <param name="Kind">What happened.</param>
/// <param name="Message">One line saying what happened (control characters are replaced, the length is capped).</param>
public sealed record Alert(AlertKind Kind, string Message)
{
    /// <summary>Longest <see cref="Message"/> kept; longer text is cut and ends with an ellipsis.</summary>
    public const int MaxMessageLength = 500;

    /// <summary>Longest source field or detail value kept.</summary>
    public const int MaxFieldLength = 200;

    /// <summary>Most <see cref="Details"/> entries kept.</summary>
    public const int MaxDetails = 32;

    private readonly string _message = OneLine(Message, MaxMessageLength) ?? string.Empty;
    private readonly string? _deviceId;
    private readonly string? _deviceMacAddress;
    private readonly string? _clientAddress;
    private readonly string? _clientId;
    private readonly string? _identityId;
    private readonly string? _node;
    private readonly IReadOnlyDictionary<string, string> _details = Empty;

    private static readonly IReadOnlyDictionary<string, string> Empty = new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());

    /// <summary>One line saying what happened.</summary>
    public string Message
    {
        get => _message;
        init => _message = OneLine(value, MaxMessageLength) ?? string.Empty;
    }

    /// <summary>How urgent it is; by default <see cref="AlertKinds.DefaultSeverity"/> of the kind.</summary>
    public AlertSeverity Severity { get; init; } = AlertKinds.DefaultSeverity(Kind);

    /// <summary>When it happened (UTC).</summary>
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The device the alert is about, as 16 lowercase hex digits (as in MQTT topics), when known.</summary>
    public string? DeviceId
    {
        get => _deviceId;
        init => _deviceId = OneLine(value, MaxFieldLength);
    }

    /// <summary>
    /// The device's hardware (network) MAC address, e.g. <c>24:0a:c4:12:34:56</c>, when known — not the frame's HMAC tag.
    /// </summary>
    public string? DeviceMacAddress
    {
        get => _deviceMacAddress;
        init => _deviceMacAddress = OneLine(value, MaxFieldLength);
    }

    /// <summary>The network address of the client that sent the offending input: an IP address or <c>ip:port</c>.</summary>
    public string? ClientAddress
    {
        get => _clientAddress;
        init => _clientAddress = OneLine(value, MaxFieldLength);
    }

    /// <summary>The client's self-declared name (e.g. the MQTT client id), when there is one. Chosen by the client.</summary>
    public string? ClientId
    {
        get => _clientId;
        init => _clientId = OneLine(value, MaxFieldLength);
    }

    /// <summary>The ledger identity involved (signer of a refused transaction, patient, doctor), as its printed id.</summary>
    public string? IdentityId
    {
        get => _identityId;
        init => _identityId = OneLine(value, MaxFieldLength);
    }

    /// <summary>The node that raised the alert or served the offending data (gateway, accounting node, store).</summary>
    public string? Node
    {
        get => _node;
        init => _node = OneLine(value, MaxFieldLength);
    }

    /// <summary>Further facts (a CID, a transaction id, a refusal reason), at most <see cref="MaxDetails"/>, one line each.</summary>
    public IReadOnlyDictionary<string, string> Details
    {
        get => _details;
        init => _details = CleanDetails(value);
    }

    /// <summary>Sets <see cref="ClientAddress"/> from an endpoint (<c>ip:port</c>) or address.</summary>
    public Alert WithClient(EndPoint? endpoint) => this with { ClientAddress = endpoint?.ToString() };

    /// <summary>
    /// The source fields that are set, in a fixed order, with the labels the sinks use: device id, device MAC,
    /// client address, client id, identity, node.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> SourceFields()
    {
        var fields = new List<KeyValuePair<string, string>>(6);
        Add(fields, "Device id", DeviceId);
        Add(fields, "Device MAC address", DeviceMacAddress);
        Add(fields, "Client address", ClientAddress);
        Add(fields, "Client id", ClientId);
        Add(fields, "Identity", IdentityId);
        Add(fields, "Node", Node);
        return fields;

        static void Add(List<KeyValuePair<string, string>> list, string label, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                list.Add(new(label, value));
            }
        }
    }

    /// <summary>One line: kind, severity, message and the known source fields.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(Kind).Append(" (").Append(Severity).Append("): ").Append(Message);
        foreach (var (label, value) in SourceFields())
        {
            text.Append("; ").Append(label).Append(' ').Append(value);
        }

        return text.ToString();
    }

    /// <summary>
    /// Reduces <paramref name="text"/> to one line: control characters (CR, LF, TAB, …), line and paragraph
    /// separators and other format characters become spaces; the result is trimmed and cut at
    /// <paramref name="maxLength"/> characters. Null stays null.
    /// </summary>
    public static string? OneLine(string? text, int maxLength)
    {
        if (text is null)
        {
            return null;
        }

        var cut = text.Length > maxLength;
        var span = cut ? text.AsSpan(0, maxLength) : text.AsSpan();
        var builder = new StringBuilder(span.Length + 1);
        foreach (var c in span)
        {
            var category = char.GetUnicodeCategory(c);
            var unsafeChar = char.IsControl(c)
                || category is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Format;
            builder.Append(unsafeChar ? ' ' : c);
        }

        var line = builder.ToString().Trim();
        if (cut)
        {
            // Never leave half a surrogate pair at the cut.
            if (line.Length > 0 && char.IsHighSurrogate(line[^1]))
            {
                line = line[..^1];
            }

            line += "…";
        }

        return line;
    }

    private static IReadOnlyDictionary<string, string> CleanDetails(IReadOnlyDictionary<string, string>? details)
    {
        if (details is null || details.Count == 0)
        {
            return Empty;
        }

        var clean = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in details)
        {
            if (clean.Count >= MaxDetails)
            {
                break;
            }

            var k = OneLine(key, 64);
            if (!string.IsNullOrEmpty(k))
            {
                clean[k] = OneLine(value, MaxFieldLength) ?? string.Empty;
            }
        }

        return new ReadOnlyDictionary<string, string>(clean);
    }
}
