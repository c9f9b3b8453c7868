using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using HealthBlock.Crypto;
using HealthBlock.Crypto.Tls;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// <see cref="ILedger"/> over an accounting node's HTTP API. Safe for concurrent use. A subscription that loses its
/// connection reconnects and resumes after the last block it yielded.
/// </summary>
public sealed class LedgerClient : ILedger, IDisposable
{
    /// <summary>Media type of canonical CBOR bodies (transactions, blocks).</summary>
    public const string CborMediaType = "application/cbor";

    private static readonly TimeSpan LongPollSlice = TimeSpan.FromSeconds(20);
    private readonly HttpClient _http;
    private readonly bool _ownsClient;
    private readonly IdentityKey? _caller;
    private readonly X509Certificate2? _certificate;
    private readonly LedgerFailoverHandler? _failover;

    /// <summary>
    /// A client of the node at <paramref name="baseAddress"/> (e.g. <c>https://127.0.0.1:8080/</c>): over HTTPS it learns
    /// the genesis from the first node it reaches and accepts only that genesis's accounting nodes from then on
    /// (<see cref="LedgerTrustHandler"/>) and authenticates <paramref name="caller"/> by a client certificate made on its
    /// key; <c>http://</c> is plaintext, its reads signed by <paramref name="caller"/> (<see cref="LedgerRequestSignature"/>).
    /// Without a caller only the public routes answer.
    /// </summary>
    public LedgerClient(Uri baseAddress, IdentityKey? caller = null)
        : this([baseAddress], caller)
    {
    }

    /// <summary>
    /// A client of the node at <paramref name="baseAddress"/> that accepts, over HTTPS, only the accounting nodes of
    /// <paramref name="genesis"/> (<see cref="LedgerTls"/>); <paramref name="caller"/> is authenticated as in
    /// <see cref="LedgerClient(Uri, IdentityKey?)"/>.
    /// </summary>
    public LedgerClient(Uri baseAddress, Genesis genesis, IdentityKey? caller = null)
        : this([baseAddress], caller, certificate => LedgerTls.PinnedHandler(genesis, certificate))
    {
    }

    /// <summary>
    /// A client of the cluster whose nodes are at <paramref name="nodes"/>: each request goes to the node that answered
    /// last and fails over to the next one when that node cannot be reached or answers 503. Over HTTPS it learns the
    /// genesis from the first node it reaches and accepts only that genesis's accounting nodes from then on
    /// (<see cref="LedgerTrustHandler"/>). When every node is HTTPS, <paramref name="caller"/> is authenticated once per
    /// connection by a client certificate made on its key (<see cref="IdentityCertificates"/>); otherwise each read is
    /// signed by it (<see cref="LedgerRequestSignature"/>).
    /// </summary>
    /// <exception cref="ArgumentException">No node, or a URL that is not absolute http(s).</exception>
    public LedgerClient(IReadOnlyList<Uri> nodes, IdentityKey? caller = null)
        : this(nodes, caller, certificate => new LedgerTrustHandler(clientCertificate: certificate))
    {
    }

    /// <summary>A client over <paramref name="http"/>, whose <see cref="HttpClient.BaseAddress"/> is the node's URL; reads signed by <paramref name="caller"/>.</summary>
    public LedgerClient(HttpClient http, bool ownsClient = false, IdentityKey? caller = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress (the node's URL).", nameof(http));
        }

        _http = http;
        _ownsClient = ownsClient;
        _caller = caller;
    }

    private LedgerClient(IReadOnlyList<Uri> nodes, IdentityKey? caller, Func<X509Certificate2?, HttpMessageHandler> transport)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        _certificate = caller is not null && nodes.Count > 0 && nodes.All(n => n is { IsAbsoluteUri: true, Scheme: "https" })
            ? IdentityCertificates.Create(caller)
            : null;
        try
        {
            _http = CreateHttp(nodes, transport(_certificate), out _failover);
        }
        catch
        {
            _certificate?.Dispose();
            throw;
        }

        _ownsClient = true;
        _caller = caller;
    }

    /// <summary>The identity reads are made as (by client certificate or signature), or null (anonymous: public routes only).</summary>
    public IdentityId? Caller => _caller?.Id;

    /// <summary>The (first) node's URL.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    private static HttpClient CreateHttp(IReadOnlyList<Uri> nodes, HttpMessageHandler transport, out LedgerFailoverHandler failover)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Count == 0)
        {
            throw new ArgumentException("Give at least one accounting node URL.", nameof(nodes));
        }

        var bases = nodes.Select(n => n is { IsAbsoluteUri: true, Scheme: "http" or "https" }
            ? new Uri(n.AbsoluteUri.EndsWith('/') ? n.AbsoluteUri : n.AbsoluteUri + "/")
            : throw new ArgumentException($"'{n}' is not an http(s) URL of an accounting node.", nameof(nodes))).ToArray();
#pragma warning disable CA2000 // the HttpClient owns and disposes the handler
        failover = new LedgerFailoverHandler(bases, transport);
        return new HttpClient(failover, disposeHandler: true) { BaseAddress = bases[0], Timeout = Timeout.InfiniteTimeSpan };
#pragma warning restore CA2000
    }

    /// <inheritdoc />
    public async Task<SubmitResult> SubmitAsync(Transaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        using var content = new ByteArrayContent(transaction.Encode());
        content.Headers.ContentType = new MediaTypeHeaderValue(CborMediaType);
        using var response = await _http.PostAsync(new Uri(LedgerRoutes.TransactionsPath(), UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        var result = await ReadJsonAsync<SubmitResult>(response, cancellationToken).ConfigureAwait(false);
        return result ?? throw new LedgerRejectedException(RejectReason.NoLeader, $"The node answered {(int)response.StatusCode} without a result.");
    }

    /// <inheritdoc />
    /// <remarks>
    /// A client of several nodes that times out moves on to the next node: the submission it retries then goes through
    /// another node, and if that is a follower it forwards the transaction and watches the leader for censorship (a
    /// leader that took the transaction straight from this client and left it out is seen by no follower).
    /// </remarks>
    public async Task<TxLocation> WaitForCommitAsync(ReadOnlyMemory<byte> transactionId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var slice = left < LongPollSlice ? left : LongPollSlice;
            if (slice < TimeSpan.Zero)
            {
                slice = TimeSpan.Zero;
            }

            using var request = Read(LedgerRoutes.TransactionCommitPath(transactionId.Span, (long)slice.TotalMilliseconds));
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadFromJsonAsync<TxLocation>(LedgerJson.Options, cancellationToken).ConfigureAwait(false);
            }

            var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            if (error.Reason != RejectReason.Timeout || DateTime.UtcNow >= deadline)
            {
                if (error.Reason == RejectReason.Timeout)
                {
                    _failover?.MoveOn();
                }

                throw new LedgerRejectedException(error);
            }
        }
    }

    /// <inheritdoc />
    public Task<CommittedTransaction?> GetTransactionAsync(ReadOnlyMemory<byte> transactionId, CancellationToken cancellationToken = default) =>
        GetOrNullAsync<CommittedTransaction>(LedgerRoutes.TransactionPath(transactionId.Span), cancellationToken);

    /// <inheritdoc />
    public async Task<Block?> GetBlockAsync(ChainId chain, ulong height, CancellationToken cancellationToken = default)
    {
        using var request = Read(LedgerRoutes.BlockPath(chain, height));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new LedgerRejectedException(await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false));
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return Block.Decode(bytes);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Block> ReadBlocksAsync(ChainId chain, ulong fromHeight, ulong toHeight, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (fromHeight >= toHeight)
        {
            yield break;
        }

        using var request = Read(LedgerRoutes.BlockRangePath(chain, fromHeight, toHeight));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new LedgerRejectedException(await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false));
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var block in BlockRangeStream.ReadAsync(stream, chain, fromHeight, cancellationToken).ConfigureAwait(false))
            {
                yield return block;
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CommittedTransaction>> GetTransactionsForAsync(IdentityId party, ChainId chain, ulong fromHeight, int limit = 1000, CancellationToken cancellationToken = default) =>
        await GetOrNullAsync<List<CommittedTransaction>>(LedgerRoutes.PartyTransactionsPath(party, chain, fromHeight, limit), cancellationToken).ConfigureAwait(false) ?? [];

    /// <inheritdoc />
    public IAsyncEnumerable<Block> SubscribeAsync(ChainId chain, ulong fromHeight, CancellationToken cancellationToken = default) =>
        new LedgerEventStream(_http, Read).EventsAsync(fromHeight, h => LedgerRoutes.ChainStreamPath(chain, h), (data, height) =>
        {
            var block = Block.Decode(Convert.FromBase64String(data));
            return block.Header.Chain == chain && block.Header.Height == height
                ? block
                : throw new ProtocolException(ProtocolError.InvalidField, $"The node streamed {LedgerText.ChainName(block.Header.Chain)} block {block.Header.Height} where {LedgerText.ChainName(chain)} block {height} was due.");
        }, cancellationToken);

    /// <summary>
    /// The node's feed (<see cref="LedgerRoutes.Feed"/>): each block's header and the transactions the caller may read.
    /// Each block is checked before it is yielded: it links to the block before it (from the second block on), is
    /// signed by an accounting node of the genesis, and every transaction's Merkle proof leads to its header's root.
    /// </summary>
    /// <exception cref="ProtocolException">A block fails those checks.</exception>
    public async IAsyncEnumerable<FeedBlock> FollowAsync(ChainId chain, ulong fromHeight, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var genesis = await GetGenesisAsync(cancellationToken).ConfigureAwait(false);
        var proposers = genesis.Identities.Where(i => i.Role == Role.AccountingNode).ToDictionary(i => i.Keys.Id, i => i.Keys);
        byte[]? previous = null;
        var blocks = new LedgerEventStream(_http, Read).EventsAsync(fromHeight, h => LedgerRoutes.FeedPath(chain, h), (data, height) =>
        {
            var block = JsonSerializer.Deserialize<FeedBlock>(data, LedgerJson.Options) ?? throw new ProtocolException(ProtocolError.InvalidField, "The node's feed sent an empty block.");
            if (block.Verify(chain, height, previous, proposers.GetValueOrDefault(block.Header.Proposer)) is { } problem)
            {
                throw new ProtocolException(ProtocolError.InvalidField, "The node's feed: " + problem + ".");
            }

            previous = block.Hash;
            return block;
        }, cancellationToken);
        await foreach (var block in blocks.ConfigureAwait(false))
        {
            yield return block;
        }
    }

    /// <inheritdoc />
    public Task<IdentityRecord?> GetIdentityAsync(IdentityId id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync<IdentityRecord>(LedgerRoutes.IdentityPath(id), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<IdentityRecord>> GetIdentitiesAsync(Role? role, IdentityId? after = null, int limit = 1000, CancellationToken cancellationToken = default) =>
        await GetOrNullAsync<List<IdentityRecord>>(LedgerRoutes.IdentitiesPath(role, after, limit), cancellationToken).ConfigureAwait(false) ?? [];

    /// <inheritdoc />
    public Task<PatientKeys?> GetPatientKeysAsync(IdentityId patient, CancellationToken cancellationToken = default) =>
        GetOrNullAsync<PatientKeys>(LedgerRoutes.PatientKeysPath(patient), cancellationToken);

    /// <inheritdoc />
    public Task<CommittedTransaction?> GetLatestKeyTransactionAsync(IdentityId patient, CancellationToken cancellationToken = default) =>
        GetOrNullAsync<CommittedTransaction>(LedgerRoutes.LatestKeyTransactionPath(patient), cancellationToken);

    /// <inheritdoc />
    public async Task<ulong> GetBalanceAsync(IdentityId id, CancellationToken cancellationToken = default) =>
        (await GetRequiredAsync<AmountDto>(LedgerRoutes.BalancePath(id), cancellationToken).ConfigureAwait(false)).Amount;

    /// <inheritdoc />
    public async Task<ulong> GetCreditAsync(IdentityId doctor, IdentityId patient, CancellationToken cancellationToken = default) =>
        (await GetRequiredAsync<AmountDto>(LedgerRoutes.CreditPath(doctor, patient), cancellationToken).ConfigureAwait(false)).Amount;

    /// <inheritdoc />
    public async Task<ulong> GetNextNonceAsync(IdentityId signer, CancellationToken cancellationToken = default) =>
        (await GetRequiredAsync<NonceDto>(LedgerRoutes.NoncePath(signer), cancellationToken).ConfigureAwait(false)).Next;

    /// <inheritdoc />
    public async Task<Genesis> GetGenesisAsync(CancellationToken cancellationToken = default)
    {
        using var request = Read(LedgerRoutes.GenesisPath());
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new LedgerRejectedException(await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false));
        }

        return Genesis.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public Task<LedgerStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        GetRequiredAsync<LedgerStatus>(LedgerRoutes.StatusPath(), cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            _http.Dispose();
        }

        _certificate?.Dispose();
    }

    /// <summary>A GET of <paramref name="path"/>, signed by the caller when there is one and its connections carry no client certificate.</summary>
    private HttpRequestMessage Read(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (_caller is not null && _certificate is null)
        {
            var pathAndQuery = new Uri(BaseAddress, path).PathAndQuery;
            foreach (var header in LedgerRequestSignature.Scheme.Headers(_caller, "GET", pathAndQuery, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), []))
            {
                request.Headers.Add(header.Key, header.Value);
            }
        }

        return request;
    }

    private async Task<T?> GetOrNullAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        using var request = Read(path);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new LedgerRejectedException(await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false));
        }

        return await response.Content.ReadFromJsonAsync<T>(LedgerJson.Options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> GetRequiredAsync<T>(string path, CancellationToken cancellationToken)
        where T : class =>
        await GetOrNullAsync<T>(path, cancellationToken).ConfigureAwait(false)
        ?? throw new LedgerRejectedException(RejectReason.Malformed, $"The node has no {path}.");

    private static async Task<T?> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return null;
        }

        try
        {
            return await response.Content.ReadFromJsonAsync<T>(LedgerJson.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The node's reason for a failed answer.</summary>
    internal static async Task<Rejection> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var error = await ReadJsonAsync<ErrorDto>(response, cancellationToken).ConfigureAwait(false);
        return error is { Reason: not RejectReason.None }
            ? new Rejection(error.Reason, error.Message ?? error.Reason.ToString())
            : new Rejection(RejectReason.Malformed, $"The node answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
    }

    /// <summary>Body of an amount answer.</summary>
    internal sealed record AmountDto(ulong Amount);

    /// <summary>Body of a nonce answer.</summary>
    internal sealed record NonceDto(ulong Next);

    /// <summary>Body of an error answer.</summary>
    internal sealed record ErrorDto(RejectReason Reason, string? Message);
}
