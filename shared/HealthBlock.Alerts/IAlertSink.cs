namespace HealthBlock.Alerts;

/// <summary>
/// Where alerts go. <see cref="AlertHub"/> calls <see cref="Publish"/> on the thread that raised the alert, so a
/// sink must return quickly: one that does I/O (e-mail) queues the alert and works on its own thread. A sink may
/// throw; the hub catches, logs and counts it. A sink the hub owns is disposed with the hub.
/// </summary>
public interface IAlertSink
{
    /// <summary>A short name for logs and failure counters (e.g. <c>log</c>, <c>led</c>, <c>smtp</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Failures that happened after <see cref="Publish"/> returned (e.g. an e-mail that could not be sent), which the
    /// hub adds to its failure count for this sink. Sinks that do everything inside <see cref="Publish"/> keep 0.
    /// </summary>
    long DeferredFailures => 0;

    /// <summary>Takes one alert. Must not block for long.</summary>
    void Publish(Alert alert);
}
