using System.Security.Cryptography.X509Certificates;
using HealthBlock.Crypto;
using HealthBlock.Crypto.Tls;

namespace HealthBlock.Accounting;

/// <summary>
/// The ledger API's TLS certificate: made on the node key at every start (<see cref="IdentityCertificates"/>), naming
/// the hosts of the listen and public URLs (a wildcard bind names <c>localhost</c>) for ordinary TLS clients; HealthBlock
/// clients pin the key instead (<see cref="HealthBlock.Ledger.LedgerTls"/>).
/// </summary>
internal static class NodeCertificate
{
    /// <summary>A certificate for <paramref name="nodeKey"/> naming the hosts of <paramref name="options"/>' URLs.</summary>
    public static X509Certificate2 Create(IdentityKey nodeKey, AccountingOptions options) =>
        IdentityCertificates.Create(nodeKey, HostNames(options));

    private static IEnumerable<string> HostNames(AccountingOptions options) =>
        new[] { options.ListenUrl, options.PublicUrl?.ToString() }
            .Select(u => u is not null && Uri.TryCreate(Concrete(u), UriKind.Absolute, out var uri) ? uri.Host : null)
            .OfType<string>()
            .Append("localhost")
            .Distinct(StringComparer.OrdinalIgnoreCase);

    private static string Concrete(string url) => url
        .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
        .Replace("://*", "://localhost", StringComparison.Ordinal)
        .Replace("://+", "://localhost", StringComparison.Ordinal);
}
