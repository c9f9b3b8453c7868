using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using HealthBlock.Crypto;
using HealthBlock.Crypto.Tls;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// HTTPS to accounting nodes without a certificate authority: a node serves a certificate made on its genesis node key
/// (<see cref="IdentityCertificates"/>), and a client accepts a node only when that key is an accounting node of the
/// network's genesis (<see cref="IdentityPinning"/>). A client that holds the genesis pins at once
/// (<see cref="PinnedHandler"/>); one that knows only a URL (a new patient's first command) learns the genesis over the
/// first connection with <see cref="DiscoverAsync"/>, checks that the node which served it is one of its accounting
/// nodes and that its hash is the network it expects (when one is pinned), and pins from then on — trust on first use,
/// as SSH does, with the network pin kept in the caller's data folder (<see cref="NetworkPin"/>).
/// </summary>
public static class LedgerTls
{
    /// <summary>True for the accounting nodes of <paramref name="genesis"/>.</summary>
    public static Func<IdentityId, bool> NodesOf(Genesis genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        var nodes = genesis.Identities.Where(i => i.Role == Role.AccountingNode).Select(i => i.Keys.Id).ToHashSet();
        return nodes.Contains;
    }

    /// <summary>
    /// An HTTP handler whose TLS accepts only the accounting nodes of <paramref name="genesis"/> (plain <c>http://</c>
    /// URLs, the explicit opt-out, pass through it unchanged) and, when given, presents
    /// <paramref name="clientCertificate"/> (made on the caller's identity key with <see cref="IdentityCertificates"/>)
    /// when a node asks for one, so the node knows the caller from the connection instead of from a signature per read.
    /// </summary>
    public static SocketsHttpHandler PinnedHandler(Genesis genesis, X509Certificate2? clientCertificate = null) =>
        Handler(IdentityPinning.Callback(NodesOf(genesis)), clientCertificate);

    /// <summary>
    /// Fetches the genesis from the node at <paramref name="url"/> and checks who served it: over HTTPS the node's
    /// certificate key must be an accounting node of that genesis; when <paramref name="expected"/> is given the genesis
    /// must be that network's. Returns the genesis to pin with <see cref="PinnedHandler"/>.
    /// </summary>
    /// <exception cref="LedgerRejectedException">The genesis does not parse, or is another network's.</exception>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The node is not one of the genesis's accounting nodes.</exception>
    /// <exception cref="HttpRequestException">The node cannot be reached.</exception>
    public static async Task<Genesis> DiscoverAsync(Uri url, NetworkId? expected = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        IdentityId? presented = null;
        using var handler = Handler(IdentityPinning.Callback(id =>
        {
            presented = id;
            return true;
        }));
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri(LedgerRoutes.GenesisPath(), UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        Genesis genesis;
        try
        {
            genesis = Genesis.Parse(json);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new LedgerRejectedException(RejectReason.Malformed, $"The ledger at {url} answered a genesis that does not parse: {e.Message}");
        }

        if (expected is { } network && genesis.NetworkId != network)
        {
            throw new LedgerRejectedException(RejectReason.WrongNetwork, $"The ledger at {url} is network {genesis.NetworkId}, not {network} (this data folder's network).");
        }

        if (url.Scheme == Uri.UriSchemeHttps && (presented is not { } node || !NodesOf(genesis)(node)))
        {
            throw new System.Security.Authentication.AuthenticationException($"The ledger at {url} presented {(presented?.ToString() ?? "no identity")}, which is not an accounting node of the genesis it served.");
        }

        return genesis;
    }

    /// <summary>
    /// The ledger clients' HTTP handler: TLS validated by <paramref name="validate"/>, presenting
    /// <paramref name="clientCertificate"/> when there is one, pooled connections renewed every 10 minutes, 5 s to connect.
    /// </summary>
    internal static SocketsHttpHandler Handler(RemoteCertificateValidationCallback validate, X509Certificate2? clientCertificate = null) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = validate,
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
        },
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };
}
