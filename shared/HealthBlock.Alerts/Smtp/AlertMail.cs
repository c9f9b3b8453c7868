using System.Globalization;
using System.Text;
using MimeKit;

namespace HealthBlock.Alerts;

/// <summary>Builds the alert mails: plain text, one line per field, the source fields by name.</summary>
internal static class AlertMail
{
    private const int MaxSubjectLength = 200;

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static MimeMessage Build(SmtpAlertOptions options, IReadOnlyList<Alert> alerts, SuppressedAlerts.Snapshot suppressed, DateTimeOffset now)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        foreach (var to in options.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Date = now;
        message.Subject = Subject(options, alerts, suppressed);
        message.Body = new TextPart("plain") { Text = Body(options, alerts, suppressed) };
        return message;
    }

    public static string Subject(SmtpAlertOptions options, IReadOnlyList<Alert> alerts, SuppressedAlerts.Snapshot suppressed)
    {
        var subject = new StringBuilder();
        if (!string.IsNullOrEmpty(options.SubjectPrefix))
        {
            subject.Append(Alert.OneLine(options.SubjectPrefix, 64)).Append(' ');
        }

        if (alerts.Any(a => a.Severity == AlertSeverity.Critical) || (suppressed.Total > 0 && suppressed.ByKind.Keys.Any(k => AlertKinds.DefaultSeverity(k) == AlertSeverity.Critical)))
        {
            subject.Append("CRITICAL ");
        }

        if (alerts.Count == 1 && suppressed.Total == 0)
        {
            subject.Append(alerts[0].Kind).Append(": ").Append(alerts[0].Message);
        }
        else if (alerts.Count == 0)
        {
            subject.Append(CultureInfo.InvariantCulture, $"{suppressed.Total} alerts suppressed: ")
                .AppendJoin(", ", suppressed.ByKind.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Key} {k.Value}")));
        }
        else
        {
            subject.Append(CultureInfo.InvariantCulture, $"{alerts.Count + suppressed.Total} alerts: ")
                .AppendJoin(", ", alerts.Select(a => a.Kind).Concat(suppressed.ByKind.Keys).Distinct().Order());
        }

        return Alert.OneLine(subject.ToString(), MaxSubjectLength)!;
    }

    public static string Body(SmtpAlertOptions options, IReadOnlyList<Alert> alerts, SuppressedAlerts.Snapshot suppressed)
    {
        var text = new StringBuilder();
        for (var i = 0; i < alerts.Count; i++)
        {
            var alert = alerts[i];
            text.Append(CultureInfo.InvariantCulture, $"Alert {i + 1} of {alerts.Count}\n");
            text.Append("Kind: ").Append(alert.Kind).Append('\n');
            text.Append("Severity: ").Append(alert.Severity).Append('\n');
            text.Append("Time: ").Append(FormatTime(alert.Time)).Append('\n');
            text.Append("Message: ").Append(alert.Message).Append('\n');
            foreach (var (label, value) in alert.SourceFields())
            {
                text.Append(label).Append(": ").Append(value).Append('\n');
            }

            foreach (var (key, value) in alert.Details)
            {
                text.Append("Detail ").Append(key).Append(": ").Append(value).Append('\n');
            }

            text.Append('\n');
        }

        if (suppressed.Total > 0)
        {
            text.Append(suppressed.Describe(options)).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"At most {options.MaxMailsPerWindow} alert mails are sent per {options.Window}; further alerts are summarised in the next mail. Every alert is also in the node's log.\n");
        return text.ToString();
    }
}
