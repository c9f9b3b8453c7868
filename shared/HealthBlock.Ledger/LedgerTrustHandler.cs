using System.Security.Cryptography.X509Certificates;
using HealthBlock.Crypto;
using HealthBlock.Crypto.Tls;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The HTTP handler of a ledger client that knows only a URL: before its first request it learns the genesis from that
/// node with <see cref="LedgerTls.DiscoverAsync"/> (trust on first use, checked against the genesis it served and
/// against <see cref="ExpectedNetwork"/> when given), then every HTTPS connection accepts only that genesis's
/// accounting nodes. A client that already holds the genesis uses <see cref="LedgerTls.PinnedHandler"/> instead.
/// </summary>
public sealed class LedgerTrustHandler : DelegatingHandler
{
    private readonly SemaphoreSlim _discovering = new(1, 1);
    private volatile Func<IdentityId, bool>? _isNode;

    /// <summary>
    /// Creates the handler; <paramref name="expectedNetwork"/> (when known) must be the genesis's network;
    /// <paramref name="clientCertificate"/> (made on the caller's identity key) is presented when a node asks for one.
    /// </summary>
    public LedgerTrustHandler(NetworkId? expectedNetwork = null, X509Certificate2? clientCertificate = null)
    {
        ExpectedNetwork = expectedNetwork;
        InnerHandler = LedgerTls.Handler(IdentityPinning.Callback(id => _isNode?.Invoke(id) ?? false), clientCertificate);
    }

    /// <summary>The network the ledger must be, or null to take the first node's word (then pinned by the caller).</summary>
    public NetworkId? ExpectedNetwork { get; }

    /// <summary>The genesis learnt from the first node, or null before the first request.</summary>
    public Genesis? Genesis { get; private set; }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_isNode is null && request.RequestUri is { Scheme: "https" } uri)
        {
            await _discovering.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_isNode is null)
                {
                    var genesis = await LedgerTls.DiscoverAsync(new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"), ExpectedNetwork, cancellationToken).ConfigureAwait(false);
                    Genesis = genesis;
                    _isNode = LedgerTls.NodesOf(genesis);
                }
            }
            finally
            {
                _discovering.Release();
            }
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _discovering.Dispose();
        }

        base.Dispose(disposing);
    }
}
