using System.Net;
using System.Net.Security;
using MimeKit;

namespace HealthBlock.Alerts;

/// <summary>Settings of <see cref="SmtpAlertSink"/>.</summary>
public sealed record SmtpAlertOptions
{
    /// <summary>The SMTP server's host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>The SMTP server's port (587 for STARTTLS, 465 for implicit TLS, 25 for a local relay).</summary>
    public int Port { get; init; } = 587;

    /// <summary>Transport security; STARTTLS by default.</summary>
    public SmtpTlsMode Tls { get; init; } = SmtpTlsMode.StartTls;

    /// <summary>
    /// Credentials for SMTP AUTH, or null to send without authenticating. Refused with <see cref="SmtpTlsMode.None"/>
    /// unless the host is a loopback address or <see cref="AllowCredentialsWithoutTls"/> is set, so a password never
    /// crosses a network in clear by accident.
    /// </summary>
    public NetworkCredential? Credentials { get; init; }

    /// <summary>Allows <see cref="Credentials"/> over a plaintext connection to a non-loopback host.</summary>
    public bool AllowCredentialsWithoutTls { get; init; }

    /// <summary>Checks the server's certificate instead of the system's validation (e.g. to pin a private CA); null uses the system's.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    /// <summary>The sender address, e.g. <c>HealthBlock gateway &lt;gateway@clinic.example&gt;</c>.</summary>
    public required string From { get; init; }

    /// <summary>The recipients (at least one).</summary>
    public required IReadOnlyList<string> To { get; init; }

    /// <summary>Put in front of every subject, so that mail filters can sort alerts.</summary>
    public string SubjectPrefix { get; init; } = "[HealthBlock]";

    /// <summary>Alerts below this severity are not mailed (they still reach the other sinks).</summary>
    public AlertSeverity MinimumSeverity { get; init; } = AlertSeverity.Warning;

    /// <summary>Most mails (counting failed attempts) sent in any <see cref="Window"/>.</summary>
    public int MaxMailsPerWindow { get; init; } = 5;

    /// <summary>The sliding window of the rate limit.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A separate budget, per <see cref="Window"/>, for mails sent because a <see cref="AlertSeverity.Critical"/> alert
    /// arrived while <see cref="MaxMailsPerWindow"/> was used up — so that a flood of lesser alerts (which anyone who
    /// reaches a gateway or node can cause) cannot hold a tamper finding back for a whole window. Such a mail lists the
    /// critical alerts and summarises the rest. Zero: critical alerts wait like the others.
    /// </summary>
    public int MaxCriticalMailsPerWindow { get; init; } = 5;

    /// <summary>Most alerts listed in full in one mail; further ones waiting at the same time are summarised.</summary>
    public int MaxAlertsPerMail { get; init; } = 20;

    /// <summary>Alerts that may wait in the queue; beyond that they are only counted (and summarised in the next mail).</summary>
    public int QueueCapacity { get; init; } = 1024;

    /// <summary>Timeout of each SMTP operation (connect, authenticate, send).</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After a failed mail, how long to wait before trying the server again (the rate limit applies as well).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long disposal waits for the queued alerts to be mailed before it gives up.</summary>
    public TimeSpan DisposeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("The SMTP host is required.", nameof(Host));
        }

        if (Port is < 1 or > 65535)
        {
            throw new ArgumentException($"SMTP port {Port} is outside 1..65535.", nameof(Port));
        }

        if (!Enum.IsDefined(Tls))
        {
            throw new ArgumentException($"Unknown TLS mode {Tls}.", nameof(Tls));
        }

        if (!MailboxAddress.TryParse(From, out _))
        {
            throw new ArgumentException($"'{From}' is not a mail address.", nameof(From));
        }

        if (To is null || To.Count == 0)
        {
            throw new ArgumentException("At least one recipient is required.", nameof(To));
        }

        foreach (var to in To)
        {
            if (!MailboxAddress.TryParse(to, out _))
            {
                throw new ArgumentException($"'{to}' is not a mail address.", nameof(To));
            }
        }

        if (MaxMailsPerWindow < 1 || Window <= TimeSpan.Zero || MaxCriticalMailsPerWindow < 0)
        {
            throw new ArgumentException("The rate limit needs at least one mail per positive window (and no negative critical budget).", nameof(MaxMailsPerWindow));
        }

        if (MaxAlertsPerMail < 1 || QueueCapacity < 1)
        {
            throw new ArgumentException("MaxAlertsPerMail and QueueCapacity must be at least 1.", nameof(MaxAlertsPerMail));
        }

        if (SendTimeout <= TimeSpan.Zero || SendTimeout.TotalMilliseconds > int.MaxValue || DisposeTimeout < TimeSpan.Zero || RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("SendTimeout must be positive, DisposeTimeout and RetryDelay not negative.", nameof(SendTimeout));
        }

        if (Credentials is not null && Tls == SmtpTlsMode.None && !AllowCredentialsWithoutTls && !IsLoopback(Host))
        {
            throw new ArgumentException(
                $"Refusing to send SMTP credentials in clear to {Host}: use StartTls or SslOnConnect (or set AllowCredentialsWithoutTls).",
                nameof(Credentials));
        }
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
