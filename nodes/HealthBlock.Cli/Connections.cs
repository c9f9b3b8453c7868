using HealthBlock.Ledger;
using HealthBlock.Storage;
using HealthBlock.Storage.Embedded;
using HealthBlock.Storage.Ipfs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace HealthBlock.Cli;

/// <summary>Turns command-line endpoints into clients.</summary>
internal static class Connections
{
    /// <summary>A ledger client for an accounting node's URL.</summary>
    public static LedgerClient Ledger(string url) => new(LedgerUrl(url));

    /// <summary>The ledger at an accounting node's URL, opened as <paramref name="context"/> says (see <see cref="CliContext.OpenLedger"/>).</summary>
    public static LedgerConnection Ledger(CliContext context, string url)
    {
        var uri = LedgerUrl(url);
        return context.OpenLedger is { } open ? new LedgerConnection(open(uri), owned: false) : new LedgerConnection(new LedgerClient(uri), owned: true);
    }

    private static Uri LedgerUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new CliException($"--ledger '{url}' is not an http(s) URL of an accounting node");

    /// <summary>A content store: a folder (embedded store) or an IPFS API URL.</summary>
    public static IContentStore Store(string spec)
    {
        if (spec.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return new IpfsContentStore(new IpfsContentStoreOptions { ApiUri = new Uri(spec) });
        }

        return new EmbeddedContentStore(Path.GetFullPath(spec));
    }

    /// <summary>Console logging at information level (warnings only with <paramref name="quiet"/>).</summary>
    public static ILoggerFactory Logging(bool quiet = false) => LoggerFactory.Create(b =>
    {
        b.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        // Logs go to stderr; stdout carries only what a command prints as its result.
        b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        b.SetMinimumLevel(quiet ? LogLevel.Warning : LogLevel.Information);
    });
}
