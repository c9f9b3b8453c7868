using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Storage;
using HealthBlock.Storage.Embedded;
using HealthBlock.Storage.Ipfs;
using HealthBlock.Storage.Replication;

namespace HealthBlock.Cli;

/// <summary>Turns command-line endpoints into clients.</summary>
internal static class Connections
{
    /// <summary>
    /// A ledger client of the accounting nodes <paramref name="urls"/> name (space- or comma-separated), failing over
    /// between them, its reads signed by <paramref name="caller"/> (a registered identity).
    /// </summary>
    public static LedgerClient Ledger(IEnumerable<string>? urls, IdentityKey caller) => new(LedgerUrls(urls), caller);

    /// <summary>The ledger the <c>--ledger</c> URLs name, opened as <paramref name="context"/> says (see <see cref="CliContext.OpenLedger"/>), its reads signed by <paramref name="caller"/>.</summary>
    public static LedgerConnection Ledger(CliContext context, IEnumerable<string>? urls, IdentityKey caller)
    {
        var uris = LedgerUrls(urls);
        return context.OpenLedger is { } open ? new LedgerConnection(open(uris[0]), owned: false) : new LedgerConnection(new LedgerClient(uris, caller), owned: true);
    }

    /// <summary>The accounting node URLs, checked.</summary>
    /// <exception cref="CliException">None, or one that is not an http(s) URL.</exception>
    public static Uri[] LedgerUrls(IEnumerable<string>? urls)
    {
        var list = EndpointOptions.Split(urls);
        return list.Length == 0
            ? throw new CliException("--ledger: give the URL of at least one accounting node")
            : [.. list.Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new CliException($"--ledger '{url}' is not an http(s) URL of an accounting node"))];
    }

    /// <summary>
    /// The content store <paramref name="specs"/> name: a folder (embedded store) or an IPFS API URL; several make a
    /// <see cref="ReplicatedContentStore"/> that puts each block on a majority of them and reads from any that holds it.
    /// </summary>
    /// <exception cref="CliException">No store given.</exception>
    public static IContentStore Store(IEnumerable<string>? specs)
    {
        var list = EndpointOptions.Split(specs);
        if (list.Length == 0)
        {
            throw new CliException("--store: give a store folder or an IPFS API URL");
        }

        if (list.Length == 1)
        {
            return Store(list[0]);
        }

        return new ReplicatedContentStore(list.Select(Store), new ReplicatedContentStoreOptions { WriteQuorum = (list.Length / 2) + 1, Name = $"replicated store ({string.Join(", ", list)})" });
    }

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
    public static Microsoft.Extensions.Logging.ILoggerFactory Logging(bool quiet = false) =>
        HealthBlock.Hosting.RoleLogging.Create(quiet ? Microsoft.Extensions.Logging.LogLevel.Warning : Microsoft.Extensions.Logging.LogLevel.Information);
}
