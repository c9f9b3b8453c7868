using System.Collections;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Alerts;

/// <summary>
/// Writes each alert as one structured log entry: the level follows the severity (Info → Information, Warning →
/// Warning, Critical → Critical), the event id is <c>1000 + kind</c>, and the state carries the properties
/// <c>AlertKind</c>, <c>Severity</c>, <c>AlertMessage</c>, <c>AlertTime</c>, <c>DeviceId</c>, <c>DeviceMacAddress</c>,
/// <c>ClientAddress</c>, <c>ClientId</c>, <c>IdentityId</c>, <c>Node</c> (null when unknown) and <c>Details</c>,
/// so a structured log store can search alerts by device or address.
/// </summary>
public sealed class LogAlertSink : IAlertSink
{
    /// <summary>The message template (the <c>{OriginalFormat}</c> property).</summary>
    public const string Template =
        "Alert {AlertKind} ({Severity}): {AlertMessage}; device {DeviceId} MAC {DeviceMacAddress}; client {ClientAddress} ({ClientId}); identity {IdentityId}; node {Node}";

    private static readonly Func<AlertLogState, Exception?, string> Formatter = (state, _) => state.Alert.Describe();

    private readonly ILogger _logger;

    /// <summary>Creates the sink.</summary>
    public LogAlertSink(ILogger logger, string name = "log")
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _logger = logger;
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The log level of a severity.</summary>
    public static LogLevel LevelOf(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => LogLevel.Critical,
        AlertSeverity.Warning => LogLevel.Warning,
        _ => LogLevel.Information,
    };

    /// <summary>The event id of a kind.</summary>
    public static EventId EventIdOf(AlertKind kind) => new(1000 + (int)kind, "Alert" + kind);

    /// <inheritdoc />
    public void Publish(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var level = LevelOf(alert.Severity);
        if (_logger.IsEnabled(level))
        {
            _logger.Log(level, EventIdOf(alert.Kind), new AlertLogState(alert), null, Formatter);
        }
    }

    /// <summary>The structured state of one alert's log entry.</summary>
    private sealed class AlertLogState(Alert alert) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private const int Size = 12;

        public Alert Alert { get; } = alert;

        public int Count => Size;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("AlertKind", Alert.Kind.ToString()),
            1 => new("Severity", Alert.Severity.ToString()),
            2 => new("AlertMessage", Alert.Message),
            3 => new("AlertTime", Alert.Time),
            4 => new("DeviceId", Alert.DeviceId),
            5 => new("DeviceMacAddress", Alert.DeviceMacAddress),
            6 => new("ClientAddress", Alert.ClientAddress),
            7 => new("ClientId", Alert.ClientId),
            8 => new("IdentityId", Alert.IdentityId),
            9 => new("Node", Alert.Node),
            10 => new("Details", Alert.Details),
            11 => new("{OriginalFormat}", Template),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Size; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Alert.Describe();
    }
}
