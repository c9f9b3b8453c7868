namespace HealthBlock.Alerts;

/// <summary>Counters of an <see cref="SmtpAlertSink"/>.</summary>
/// <param name="Accepted">Alerts at or above the minimum severity handed to the sink.</param>
/// <param name="Filtered">Alerts below the minimum severity (not mailed).</param>
/// <param name="Overflowed">Alerts that found the queue full (counted, summarised in the next mail).</param>
/// <param name="Queued">Alerts in the queue now.</param>
/// <param name="Mailed">Alerts listed in full in a mail that was sent.</param>
/// <param name="Summarised">Alerts counted in the "suppressed" paragraph of a mail that was sent.</param>
/// <param name="Unsent">Alerts given up at disposal (rate limit still exhausted, or the server unreachable); they were logged.</param>
/// <param name="MailsSent">Mails the server accepted.</param>
/// <param name="SendFailures">Mails that could not be sent (connection, TLS, authentication or server refusal).</param>
public sealed record SmtpAlertSinkStatistics(
    long Accepted,
    long Filtered,
    long Overflowed,
    long Queued,
    long Mailed,
    long Summarised,
    long Unsent,
    long MailsSent,
    long SendFailures)
{
    /// <summary>Alerts taken from the queue and waiting for the next mail (rate-limited or in a mail being sent).</summary>
    public long Awaiting => Accepted - Queued - Mailed - Summarised - Unsent;
}
