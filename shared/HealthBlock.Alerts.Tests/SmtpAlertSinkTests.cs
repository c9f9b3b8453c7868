using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using HealthBlock.TestSupport;
using MimeKit;

namespace HealthBlock.Alerts.Tests;

public partial class SmtpAlertSinkTests
{
    private const string Patient = "aaaabbbbccccddddeeeeffffgggghhhh";

    private static SmtpAlertOptions Options(int port, int maxMails = 5, TimeSpan? window = null, int maxAlertsPerMail = 20) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        Tls = SmtpTlsMode.None,
        From = "HealthBlock gateway <gateway@clinic.test>",
        To = ["security@clinic.test", "Dr Who <doctor@clinic.test>"],
        SubjectPrefix = "[HealthBlock test]",
        MaxMailsPerWindow = maxMails,
        Window = window ?? TimeSpan.FromHours(1),
        MaxAlertsPerMail = maxAlertsPerMail,
        SendTimeout = TimeSpan.FromSeconds(20),
        DisposeTimeout = TimeSpan.FromSeconds(20),
    };

    private static Alert BadMac(string device = "00000000000000aa", string address = "192.0.2.10:51514") =>
        new(AlertKind.FrameAuthenticationFailed, "frame 42 fails HMAC verification")
        {
            DeviceId = device,
            DeviceMacAddress = "24:0a:c4:12:34:56",
            ClientAddress = address,
            ClientId = "wearable-aa",
            IdentityId = Patient,
            Node = "gateway-pi",
            Details = new Dictionary<string, string> { ["topic"] = $"hb/{Patient}/{device}/ecg", ["sequence"] = "42" },
        };

    [Fact]
    public async Task Mail_has_from_to_subject_and_names_the_source_one_line_per_field()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using (var hub = new AlertHub([new SmtpAlertSink(Options(server.Port))]))
        {
            hub.Raise(BadMac());
            await server.WaitForMessagesAsync(1);
        }

        var mail = Assert.Single(server.Messages);
        Assert.Equal("gateway@clinic.test", Assert.Single(mail.From.Mailboxes).Address);
        Assert.Equal(["security@clinic.test", "doctor@clinic.test"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("[HealthBlock test] FrameAuthenticationFailed: frame 42 fails HMAC verification", mail.Subject);

        var lines = TestSmtpServer.BodyLines(mail);
        Assert.Contains("Kind: FrameAuthenticationFailed", lines);
        Assert.Contains("Severity: Warning", lines);
        Assert.Contains("Message: frame 42 fails HMAC verification", lines);
        Assert.Contains("Device id: 00000000000000aa", lines);
        Assert.Contains("Device MAC address: 24:0a:c4:12:34:56", lines);
        Assert.Contains("Client address: 192.0.2.10:51514", lines);
        Assert.Contains("Client id: wearable-aa", lines);
        Assert.Contains($"Identity: {Patient}", lines);
        Assert.Contains("Node: gateway-pi", lines);
        Assert.Contains($"Detail topic: hb/{Patient}/00000000000000aa/ecg", lines);
    }

    [Fact]
    public async Task Attacker_chosen_text_cannot_add_headers_or_lines_to_the_mail()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using (var sink = new SmtpAlertSink(Options(server.Port)))
        {
            sink.Publish(new Alert(AlertKind.UnknownDevice, "unknown device\r\nBcc: victim@elsewhere.test\r\n\r\nfake body")
            {
                ClientId = "evil\nDevice id: 0000000000000001",
            });
            await server.WaitForMessagesAsync(1);
        }

        var mail = Assert.Single(server.Messages);
        Assert.Empty(mail.Bcc);
        Assert.DoesNotContain(mail.Headers, h => h.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("\n", mail.Subject ?? string.Empty, StringComparison.Ordinal);
        var lines = TestSmtpServer.BodyLines(mail);
        Assert.Contains("Message: unknown device  Bcc: victim@elsewhere.test    fake body", lines);
        Assert.Contains("Client id: evil Device id: 0000000000000001", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("Device id:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hundred_alerts_raised_quickly_give_at_most_N_mails_and_every_alert_is_accounted_for_by_kind()
    {
        const int N = 3;
        var clock = new ManualTimeProvider();
        await using var server = await TestSmtpServer.StartAsync();
        var sink = new SmtpAlertSink(Options(server.Port, maxMails: N, maxAlertsPerMail: 2), timeProvider: clock);
        await using var hub = new AlertHub([sink]);

        var raised = new Dictionary<AlertKind, int>();
        for (var i = 0; i < 100; i++)
        {
            var kind = (i % 5) switch
            {
                0 or 1 => AlertKind.FrameAuthenticationFailed,
                2 => AlertKind.FrameReplayed,
                3 => AlertKind.UnknownDevice,
                _ => AlertKind.StoreTampered,
            };
            raised[kind] = raised.GetValueOrDefault(kind) + 1;
            hub.Raise(new Alert(kind, $"alert {i}") { ClientAddress = $"198.51.100.{i % 7}", DeviceId = $"{i % 3:x16}" });
        }

        // Quiet point of the first window: everything taken from the queue, the mail loop waiting.
        await Eventually.WaitUntilAsync(() => sink.IsIdle && sink.Statistics.Accepted == 100, "the mailer to settle");
        Assert.InRange(server.Count, 1, N);
        Assert.Equal(server.Count, sink.Statistics.MailsSent);

        // Next window: whatever was held back by the rate limit is summarised in one more mail.
        clock.Advance(TimeSpan.FromHours(1));
        await Eventually.WaitUntilAsync(() => sink.Statistics is { Mailed: var m, Summarised: var s } && m + s == 100 && sink.IsIdle, "all 100 alerts mailed or summarised");
        Assert.InRange(server.Count, 1, N + 1);

        var listed = new Dictionary<AlertKind, int>();
        foreach (var mail in server.Messages)
        {
            foreach (var (kind, n) in CountsIn(mail))
            {
                listed[kind] = listed.GetValueOrDefault(kind) + n;
            }
        }

        Assert.Equal(raised.OrderBy(k => k.Key), listed.OrderBy(k => k.Key));
        Assert.Equal(0, sink.Statistics.SendFailures);
    }

    [Fact]
    public async Task Alerts_beyond_the_rate_limit_are_summarised_with_counts_in_the_next_mail()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestSmtpServer.StartAsync();
        await using var sink = new SmtpAlertSink(Options(server.Port, maxMails: 2, window: TimeSpan.FromMinutes(10)), timeProvider: clock);

        sink.Publish(BadMac());
        await server.WaitForMessagesAsync(1);
        sink.Publish(BadMac());
        await server.WaitForMessagesAsync(2);

        // The window is used up: these 30 are held back and aggregated.
        for (var i = 0; i < 20; i++)
        {
            sink.Publish(BadMac(device: "00000000000000aa", address: "203.0.113.7"));
        }

        for (var i = 0; i < 10; i++)
        {
            sink.Publish(new Alert(AlertKind.UnknownDevice, "unknown device") { DeviceId = "00000000000000bb", ClientAddress = "203.0.113.8" });
        }

        await Eventually.WaitUntilAsync(() => sink.IsIdle && sink.Statistics.Awaiting == 30, "30 alerts held back by the rate limit");
        Assert.Equal(2, server.Count);

        clock.Advance(TimeSpan.FromMinutes(10));
        var mails = await server.WaitForMessagesAsync(3);
        var summary = mails[2];
        Assert.Equal("[HealthBlock test] 30 alerts suppressed: FrameAuthenticationFailed 20, UnknownDevice 10", summary.Subject);
        var lines = TestSmtpServer.BodyLines(summary);
        Assert.Contains("30 more alerts suppressed: by kind FrameAuthenticationFailed 20, UnknownDevice 10", lines);
        Assert.Contains("Why: rate limit (2 mails per 00:10:00) 30", lines);
        Assert.Contains("Top client addresses: 203.0.113.7 20, 203.0.113.8 10", lines);
        Assert.Contains("Top device ids: 00000000000000aa 20, 00000000000000bb 10", lines);
        await Eventually.WaitUntilAsync(() => sink.Statistics.Summarised == 30, "the summary counted");
        Assert.Equal(new SmtpAlertSinkStatistics(32, 0, 0, 0, 2, 30, 0, 3, 0), sink.Statistics);
    }

    [Fact]
    public async Task A_critical_alert_is_mailed_at_once_on_its_own_budget_while_a_flood_holds_the_others_back()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestSmtpServer.StartAsync();
        await using var sink = new SmtpAlertSink(Options(server.Port, maxMails: 1, window: TimeSpan.FromMinutes(10)) with { MaxCriticalMailsPerWindow = 1 }, timeProvider: clock);
        sink.Publish(BadMac());
        await server.WaitForMessagesAsync(1);

        // The window is used up; a flood of warnings is held back...
        for (var i = 0; i < 10; i++)
        {
            sink.Publish(BadMac(address: "203.0.113.9"));
        }

        await Eventually.WaitUntilAsync(() => sink.IsIdle && sink.Statistics.Awaiting == 10, "the warnings held back");

        // ...but a tamper finding goes out now, with the held-back warnings summarised.
        sink.Publish(new Alert(AlertKind.StoreTampered, "block bafk… no longer hashes to its CID") { Node = "store:/var/lib/hb" });
        var mails = await server.WaitForMessagesAsync(2);
        Assert.Equal("[HealthBlock test] CRITICAL 11 alerts: FrameAuthenticationFailed, StoreTampered", mails[1].Subject);
        var lines = TestSmtpServer.BodyLines(mails[1]);
        Assert.Contains("Kind: StoreTampered", lines);
        Assert.DoesNotContain("Kind: FrameAuthenticationFailed", lines);
        Assert.Contains("10 more alerts suppressed: by kind FrameAuthenticationFailed 10", lines);

        // The critical budget is used up too: the next critical alert waits for the window like the rest.
        sink.Publish(new Alert(AlertKind.AuditMismatch, "userchain block 7 does not link"));
        await Eventually.WaitUntilAsync(() => sink.IsIdle && sink.Statistics.Awaiting == 1, "the second critical alert held back");
        Assert.Equal(2, server.Count);
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Contains("AuditMismatch", (await server.WaitForMessagesAsync(3))[2].Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_smtp_port_is_a_counted_failure_and_the_hub_keeps_working()
    {
        var logger = new CapturingLogger();
        var delivered = new List<Alert>();
        using var closed = new ClosedPort();
        var options = Options(closed.Port, maxMails: 100) with { SendTimeout = TimeSpan.FromSeconds(5) };
        var smtp = new SmtpAlertSink(options, logger);
        var hub = new AlertHub([smtp, new CallbackAlertSink("led", a => { lock (delivered) { delivered.Add(a); } })]);

        hub.Raise(BadMac());
        await Eventually.WaitUntilAsync(() => smtp.Statistics.SendFailures >= 1, "a failed send");
        Assert.True(hub.FailuresBySink["smtp"] >= 1);
        Assert.Equal(0, hub.FailuresBySink["led"]);

        for (var i = 0; i < 5; i++)
        {
            hub.Raise(new Alert(AlertKind.StoreTampered, "block does not hash to its CID") { Node = "store-1" });
        }

        Assert.Equal(6, hub.RaisedCount);
        Assert.Equal(5, hub.Count(AlertKind.StoreTampered));
        lock (delivered)
        {
            Assert.Equal(6, delivered.Count);
        }

        Assert.Contains(logger.Entries, e => e.EventId.Id == 910 && e.Exception is not null);

        // No hammering of the dead server: the next attempt waits for the retry delay.
        await Eventually.WaitUntilAsync(() => smtp.IsIdle && smtp.Statistics.Awaiting == 6, "the mailer to hold the six alerts for the retry");
        Assert.Equal(1, smtp.Statistics.SendFailures);
        await hub.DisposeAsync();

        // Disposal tried once more, could not mail, and logged what was lost instead of throwing.
        var stats = smtp.Statistics;
        Assert.Equal(0, stats.MailsSent);
        Assert.Equal(2, stats.SendFailures);
        Assert.Equal(6, stats.Unsent);
        Assert.Contains(logger.Entries, e => e.EventId.Id == 911 && e.Message.Contains("6 more alerts suppressed", StringComparison.Ordinal));
        hub.Raise(BadMac());
        Assert.Equal(1, hub.DroppedCount);
    }

    [Fact]
    public async Task StartTls_mode_refuses_a_server_without_starttls_instead_of_sending_in_clear()
    {
        await using var server = await TestSmtpServer.StartAsync();
        var options = Options(server.Port) with { Tls = SmtpTlsMode.StartTls };
        await using var sink = new SmtpAlertSink(options);
        sink.Publish(BadMac());
        await Eventually.WaitUntilAsync(() => sink.Statistics.SendFailures == 1, "the STARTTLS refusal");
        Assert.Equal(0, server.Count);
    }

    [Fact]
    public async Task Credentials_are_used_for_smtp_auth()
    {
        await using var server = await TestSmtpServer.StartAsync(requireAuthentication: true, user: "alerts", password: "s3cret");
        var options = Options(server.Port) with { Credentials = new NetworkCredential("alerts", "s3cret") };
        await using (var sink = new SmtpAlertSink(options))
        {
            sink.Publish(BadMac());
            await server.WaitForMessagesAsync(1);
        }

        Assert.Equal(["alerts"], server.Authenticator!.Users);
    }

    [Fact]
    public async Task Disposal_flushes_the_queued_alerts()
    {
        await using var server = await TestSmtpServer.StartAsync();
        var sink = new SmtpAlertSink(Options(server.Port, maxAlertsPerMail: 50));
        for (var i = 0; i < 3; i++)
        {
            sink.Publish(BadMac(address: $"192.0.2.{i}"));
        }

        await sink.DisposeAsync();

        var stats = sink.Statistics;
        Assert.Equal(3, stats.Mailed + stats.Summarised);
        Assert.Equal(stats.MailsSent, server.Count);
        Assert.Equal(3, server.Messages.Sum(m => CountsIn(m).Values.Sum()));
    }

    [Fact]
    public async Task Alerts_below_the_minimum_severity_are_not_mailed()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var sink = new SmtpAlertSink(Options(server.Port));
        sink.Publish(new Alert(AlertKind.FrameMalformed, "not a frame"));
        sink.Publish(new Alert(AlertKind.AuditMismatch, "Merkle root of Userchain block 7 does not match"));
        var mail = Assert.Single(await server.WaitForMessagesAsync(1));
        Assert.Equal("[HealthBlock test] CRITICAL AuditMismatch: Merkle root of Userchain block 7 does not match", mail.Subject);
        Assert.Equal(1, sink.Statistics.Filtered);
    }

    [Fact]
    public void Options_refuse_credentials_in_clear_to_a_remote_host()
    {
        var options = new SmtpAlertOptions
        {
            Host = "smtp.clinic.test",
            Port = 25,
            Tls = SmtpTlsMode.None,
            Credentials = new NetworkCredential("alerts", "pw"),
            From = "gateway@clinic.test",
            To = ["security@clinic.test"],
        };
        Assert.Throws<ArgumentException>(options.Validate);
        Assert.Throws<ArgumentException>(() => new SmtpAlertSink(options));
    }

    [Theory]
    [InlineData("", "a@b.test")]
    [InlineData("not an address", "a@b.test")]
    [InlineData("a@b.test", "")]
    public void Options_refuse_bad_addresses(string from, string to)
    {
        var options = new SmtpAlertOptions { Host = "127.0.0.1", From = from, To = to.Length == 0 ? [] : [to] };
        Assert.Throws<ArgumentException>(options.Validate);
    }

    /// <summary>Alerts in a mail by kind: the "Kind:" lines plus the "N more alerts suppressed: by kind …" line.</summary>
    private static Dictionary<AlertKind, int> CountsIn(MimeMessage mail)
    {
        var counts = new Dictionary<AlertKind, int>();
        foreach (var line in TestSmtpServer.BodyLines(mail))
        {
            if (line.StartsWith("Kind: ", StringComparison.Ordinal))
            {
                var kind = Enum.Parse<AlertKind>(line["Kind: ".Length..]);
                counts[kind] = counts.GetValueOrDefault(kind) + 1;
            }

            var summary = SummaryLine().Match(line);
            if (summary.Success)
            {
                var total = 0;
                foreach (var part in summary.Groups["kinds"].Value.Split(", "))
                {
                    var (name, n) = (part.Split(' ')[0], int.Parse(part.Split(' ')[1], CultureInfo.InvariantCulture));
                    var kind = Enum.Parse<AlertKind>(name);
                    counts[kind] = counts.GetValueOrDefault(kind) + n;
                    total += n;
                }

                Assert.Equal(int.Parse(summary.Groups["total"].Value, CultureInfo.InvariantCulture), total);
            }
        }

        return counts;
    }

    [GeneratedRegex("^(?<total>[0-9]+) more alerts suppressed: by kind (?<kinds>.+)$")]
    private static partial Regex SummaryLine();
}
