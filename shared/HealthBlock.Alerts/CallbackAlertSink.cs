namespace HealthBlock.Alerts;

/// <summary>
/// Calls a delegate for each alert that passes an optional filter — e.g. the gateway lights its alert LED for a bad
/// frame MAC, a replay or an unknown device:
/// <code>new CallbackAlertSink("led", _ => gpio.Alert(), a => a.Kind is AlertKind.FrameAuthenticationFailed or AlertKind.FrameReplayed or AlertKind.UnknownDevice)</code>
/// The delegate runs on the raising thread and must be quick; if it throws, the hub counts the failure.
/// </summary>
public sealed class CallbackAlertSink : IAlertSink
{
    private readonly Action<Alert> _callback;
    private readonly Func<Alert, bool>? _filter;

    /// <summary>Creates the sink.</summary>
    /// <param name="name">Name for logs and counters.</param>
    /// <param name="callback">Called with each alert that passes <paramref name="filter"/>.</param>
    /// <param name="filter">Which alerts to pass on; all when null.</param>
    public CallbackAlertSink(string name, Action<Alert> callback, Func<Alert, bool>? filter = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(callback);
        Name = name;
        _callback = callback;
        _filter = filter;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void Publish(Alert alert)
    {
        if (_filter is null || _filter(alert))
        {
            _callback(alert);
        }
    }
}
