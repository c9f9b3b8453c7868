using System.Net;

namespace HealthBlock.Ledger;

/// <summary>
/// Sends each ledger request to the accounting node that answered last and, when that node cannot be reached (no
/// connection, connection lost before an answer) or answers 503 (no leader on its side of a partition, a chain it does
/// not serve), to the next one in turn. The node that answers becomes the current one. When none answers, the error
/// names the ledger and every URL tried, so a command says "the ledger … could not be reached", not just "connection
/// refused".
/// </summary>
/// <remarks>Requests are re-sent whole; the client's bodies are byte arrays, so sending one again is safe, and a
/// transaction the ledger already has comes back as a duplicate.</remarks>
internal sealed class LedgerFailoverHandler : DelegatingHandler
{
    private readonly Uri[] _nodes;
    private int _current;

    /// <summary>A handler over <paramref name="nodes"/> (base URLs ending in '/') sending through <paramref name="transport"/>.</summary>
    public LedgerFailoverHandler(IReadOnlyList<Uri> nodes, HttpMessageHandler transport)
        : base(transport)
    {
        _nodes = [.. nodes];
    }

    /// <summary>The node requests go to first.</summary>
    public Uri Current => _nodes[Volatile.Read(ref _current)];

    /// <summary>
    /// Makes the next node in turn the current one: the current node did not commit a transaction in time, so the
    /// submission retried goes through another node (whose censorship watch sees it, if it is a follower).
    /// </summary>
    public void MoveOn()
    {
        var current = Volatile.Read(ref _current);
        Interlocked.CompareExchange(ref _current, (current + 1) % _nodes.Length, current);
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = request.RequestUri ?? throw new InvalidOperationException("A ledger request needs a URL.");
        var relative = Relative(target);
        var first = Volatile.Read(ref _current);
        HttpRequestException? failure = null;
        HttpResponseMessage? unavailable = null;
        for (var attempt = 0; attempt < _nodes.Length; attempt++)
        {
            var index = (first + attempt) % _nodes.Length;
            request.RequestUri = new Uri(_nodes[index], relative);
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                failure = e;
                continue;
            }

            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < _nodes.Length - 1)
            {
                unavailable?.Dispose();
                unavailable = response;
                continue;
            }

            unavailable?.Dispose();
            Volatile.Write(ref _current, index);
            return response;
        }

        if (unavailable is not null)
        {
            return unavailable;
        }

        var tried = string.Join(", ", _nodes.Select(n => n.ToString()));
        throw new HttpRequestException($"the ledger could not be reached ({(_nodes.Length == 1 ? "accounting node" : "accounting nodes")} {tried}): {failure?.Message}", failure, failure?.StatusCode);
    }

    private string Relative(Uri target)
    {
        foreach (var node in _nodes)
        {
            if (target.AbsoluteUri.StartsWith(node.AbsoluteUri, StringComparison.Ordinal))
            {
                return target.AbsoluteUri[node.AbsoluteUri.Length..];
            }
        }

        return target.PathAndQuery.TrimStart('/');
    }
}
