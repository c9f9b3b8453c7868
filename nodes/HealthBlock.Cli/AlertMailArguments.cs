using System.CommandLine;
using System.Net;
using HealthBlock.Alerts;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Cli;

/// <summary>
/// The <c>--alert-*</c> options every long-running role and every checking tool takes, so that tamper alerts reach a
/// mailbox: <c>--alert-smtp host[:port]</c>, <c>--alert-smtp-tls</c>, <c>--alert-from</c>, <c>--alert-to</c>. SMTP
/// credentials come from <c>$HEALTHBLOCK_SMTP_USER</c> and <c>$HEALTHBLOCK_SMTP_PASSWORD</c>, never from the command
/// line (where other users of the machine could read them).
/// </summary>
internal sealed class AlertMailArguments
{
    /// <summary>Environment variable with the SMTP user name.</summary>
    public const string UserVariable = "HEALTHBLOCK_SMTP_USER";

    /// <summary>Environment variable with the SMTP password.</summary>
    public const string PasswordVariable = "HEALTHBLOCK_SMTP_PASSWORD";

    private readonly Option<string?> _smtp = new("--alert-smtp")
    {
        Description = "Mail alerts through this SMTP server, host[:port] (port default: 587 starttls, 465 tls, 25 none)",
    };

    private readonly Option<string> _tls = new("--alert-smtp-tls")
    {
        Description = "SMTP transport security: starttls (required, never optional), tls (implicit) or none (a local relay)",
        DefaultValueFactory = _ => "starttls",
    };

    private readonly Option<string?> _from = new("--alert-from") { Description = "Sender address of alert mail" };

    private readonly Option<string[]> _to = new("--alert-to")
    {
        Description = "Recipient(s) of alert mail",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_smtp);
        command.Options.Add(_tls);
        command.Options.Add(_from);
        command.Options.Add(_to);
    }

    /// <summary>The mail settings, or null when <c>--alert-smtp</c> is not given.</summary>
    /// <exception cref="CliException">A missing or bad value, named.</exception>
    public SmtpAlertOptions? Read(CliContext context, ParseResult parse, string role)
    {
        var server = parse.GetValue(_smtp);
        var from = parse.GetValue(_from);
        var to = parse.GetValue(_to) ?? [];
        if (server is null)
        {
            return from is null && to.Length == 0 ? null : throw new CliException("--alert-from and --alert-to need --alert-smtp");
        }

        var tls = parse.GetValue(_tls)!.ToLowerInvariant() switch
        {
            "starttls" => SmtpTlsMode.StartTls,
            "tls" => SmtpTlsMode.SslOnConnect,
            "none" => SmtpTlsMode.None,
            var other => throw new CliException($"--alert-smtp-tls '{other}' is not starttls, tls or none"),
        };
        var (host, port) = ParseServer(server, tls);
        var user = context.Environment(UserVariable);
        var options = new SmtpAlertOptions
        {
            Host = host,
            Port = port,
            Tls = tls,
            From = from ?? throw new CliException("--alert-smtp needs --alert-from"),
            To = to.Length > 0 ? to : throw new CliException("--alert-smtp needs at least one --alert-to"),
            SubjectPrefix = $"[HealthBlock {role}]",
            Credentials = string.IsNullOrEmpty(user) ? null : new NetworkCredential(user, context.Environment(PasswordVariable) ?? ""),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message);
        }

        return options;
    }

    /// <summary>
    /// An alert hub that logs every alert and, with <c>--alert-smtp</c>, mails it (rate-limited). Disposing it sends
    /// what is still queued.
    /// </summary>
    public AlertHub CreateHub(CliContext context, ParseResult parse, ILoggerFactory loggers, string role)
    {
        var mail = Read(context, parse, role);
        var log = loggers.CreateLogger("HealthBlock.Alerts");
        var hub = AlertHub.Logging(log);
        if (mail is not null)
        {
            hub.Add(new SmtpAlertSink(mail, log));
        }

        return hub;
    }

    private static (string Host, int Port) ParseServer(string text, SmtpTlsMode tls)
    {
        var defaultPort = tls switch
        {
            SmtpTlsMode.SslOnConnect => 465,
            SmtpTlsMode.None => 25,
            _ => 587,
        };
        if (text.StartsWith('['))
        {
            // [IPv6]:port
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close > 1 && (close == text.Length - 1 || (text[close + 1] == ':' && TryPort(text[(close + 2)..], out defaultPort))))
            {
                return (text[1..close], defaultPort);
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 0 && text.Length > 0)
            {
                return (text, defaultPort);
            }

            if (colon > 0 && text.IndexOf(':', StringComparison.Ordinal) == colon && TryPort(text[(colon + 1)..], out var port))
            {
                return (text[..colon], port);
            }
        }

        throw new CliException(System.Net.IPAddress.TryParse(text, out _)
            ? $"--alert-smtp '{text}': write an IPv6 address in brackets, [address] or [address]:port"
            : $"--alert-smtp '{text}' is not host[:port]");

        static bool TryPort(string s, out int port) =>
            int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
    }
}
