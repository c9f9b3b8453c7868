using System.Collections.Concurrent;
using DotNext.Net.Cluster.Consensus.Raft;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Accounting;

/// <summary>
/// Forwards submissions from a follower to the leader's HTTP API (found in the leader's Raft member metadata), each
/// carrying this node's signed <see cref="ForwardingMark"/>, over HTTPS pinned to the genesis's accounting nodes. Keeps
/// one client per leader URL.
/// </summary>
internal sealed class LeaderForwarder(IdentityKey nodeKey, Genesis genesis, ILogger log) : IDisposable
{
    /// <summary>Raft member metadata key of a node's public HTTP URL.</summary>
    public const string HttpMetadataKey = "healthblock-http";

    /// <summary>Raft member metadata key of a node's identity id.</summary>
    public const string NodeMetadataKey = "healthblock-node";

    private readonly ConcurrentDictionary<string, LedgerClient> _clients = new(StringComparer.Ordinal);

    /// <summary>The leader's answer, or null when the leader's URL is unknown or it could not be reached (try again).</summary>
    public async Task<SubmitResult?> TryForwardAsync(RaftClusterMember leader, Transaction transaction, CancellationToken cancellationToken)
    {
        var url = await GetHttpUrlAsync(leader, cancellationToken).ConfigureAwait(false);
        if (url is null)
        {
            return null;
        }

        try
        {
            return await _clients.GetOrAdd(url, NewClient).SubmitAsync(transaction, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            log.LogDebug(e, "Forwarding to {Leader} failed", url);
            return null;
        }
    }

    public void Dispose()
    {
        foreach (var c in _clients.Values)
        {
            c.Dispose();
        }
    }

    /// <summary>
    /// A chain's blocks <paramref name="from"/> … <paramref name="to"/> − 1 read from the leader in one stream (a
    /// follower installing a Raft snapshot), over HTTPS pinned to the genesis.
    /// </summary>
    public async IAsyncEnumerable<Block> ReadBlocksAsync(RaftClusterMember? leader, ChainId chain, ulong from, ulong to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (from >= to)
        {
            yield break;
        }

        var url = await GetHttpUrlAsync(leader ?? throw new InvalidOperationException("No leader to read the blocks of a Raft snapshot from."), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The leader's HTTP URL is unknown; cannot read the blocks of its Raft snapshot.");
        using var client = new LedgerClient(new Uri(url), genesis, nodeKey);
        await foreach (var block in client.ReadBlocksAsync(chain, from, to, cancellationToken).ConfigureAwait(false))
        {
            yield return block;
        }
    }

    /// <summary>The HTTP URL a member publishes in its Raft metadata, or null when it cannot be read.</summary>
    public static async Task<string?> GetHttpUrlAsync(RaftClusterMember leader, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await leader.GetMetadataAsync(false, cancellationToken).ConfigureAwait(false);
            return metadata.TryGetValue(HttpMetadataKey, out var url) ? url : null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private LedgerClient NewClient(string url)
    {
        var http = new HttpClient(new MarkingHandler(nodeKey) { InnerHandler = LedgerTls.PinnedHandler(genesis) }) { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
        return new LedgerClient(http, ownsClient: true, nodeKey);
    }

    /// <summary>Signs each forwarded submission's body with the node key.</summary>
    private sealed class MarkingHandler(IdentityKey nodeKey) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.Content is { } content)
            {
                var body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                request.Headers.TryAddWithoutValidation(ForwardingMark.Header, ForwardingMark.Create(nodeKey, body));
            }

            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}
