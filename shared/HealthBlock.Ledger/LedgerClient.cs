using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using HealthBlock.Crypto;
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

    /// <summary>
    /// A client of the node at <paramref name="baseAddress"/> (e.g. <c>https://127.0.0.1:8080/</c>): over HTTPS it learns
    /// the genesis from the first node it reaches and accepts only that genesis's accounting nodes from then on
    /// (<see cref="LedgerTrustHandler"/>); <c>http://</c> is plaintext.
    /// </summary>
    public LedgerClient(Uri baseAddress)
        : this([baseAddress])
    {
    }

    /// <summary>
    /// A client of the node at <paramref name="baseAddress"/> that accepts, over HTTPS, only the accounting nodes of
    /// <paramref name="genesis"/> (<see cref="LedgerTls"/>).
    /// </summary>
    public LedgerClient(Uri baseAddress, Genesis genesis)
        : this(CreateHttp([baseAddress], LedgerTls.PinnedHandler(genesis)), ownsClient: true)
    {
    }

    /// <summary>
    /// A client of the cluster whose nodes are at <paramref name="nodes"/>: each request goes to the node that answered
    /// last and fails over to the next one when that node cannot be reached or answers 503. Over HTTPS it learns the
    /// genesis from the first node it reaches and accepts only that genesis's accounting nodes from then on
    /// (<see cref="LedgerTrustHandler"/>).
    /// </summary>
    /// <exception cref="ArgumentException">No node, or a URL that is not absolute http(s).</exception>
    public LedgerClient(IReadOnlyList<Uri> nodes)
        : this(CreateHttp(nodes, new LedgerTrustHandler()), ownsClient: true)
    {
    }

    /// <summary>A client over <paramref name="http"/>, whose <see cref="HttpClient.BaseAddress"/> is the node's URL.</summary>
    public LedgerClient(HttpClient http, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress (the node's URL).", nameof(http));
        }

        _http = http;
        _ownsClient = ownsClient;
    }

    /// <summary>The (first) node's URL.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    private static HttpClient CreateHttp(IReadOnlyList<Uri> nodes, HttpMessageHandler transport)
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
        return new HttpClient(new LedgerFailoverHandler(bases, transport), disposeHandler: true) { BaseAddress = bases[0], Timeout = Timeout.InfiniteTimeSpan };
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

            using var response = await _http.GetAsync(new Uri(LedgerRoutes.TransactionCommitPath(transactionId.Span, (long)slice.TotalMilliseconds), UriKind.Relative), cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadFromJsonAsync<TxLocation>(LedgerJson.Options, cancellationToken).ConfigureAwait(false);
            }

            var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            if (error.Reason != RejectReason.Timeout || DateTime.UtcNow >= deadline)
            {
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
        using var response = await _http.GetAsync(new Uri(LedgerRoutes.BlockPath(chain, height), UriKind.Relative), cancellationToken).ConfigureAwait(false);
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

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(LedgerRoutes.BlockRangePath(chain, fromHeight, toHeight), UriKind.Relative));
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
    public async IAsyncEnumerable<Block> SubscribeAsync(ChainId chain, ulong fromHeight, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = fromHeight;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var reader = await OpenStreamAsync(chain, next, cancellationToken).ConfigureAwait(false);
            if (reader is null)
            {
                failures++;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * failures)), cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (reader)
            {
                while (true)
                {
                    Block? block;
                    try
                    {
                        block = await ReadEventAsync(reader, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or HttpRequestException)
                    {
                        break;
                    }

                    if (block is null)
                    {
                        break;
                    }

                    if (block.Header.Chain != chain || block.Header.Height != next)
                    {
                        throw new ProtocolException(ProtocolError.InvalidField, $"The node streamed {LedgerText.ChainName(block.Header.Chain)} block {block.Header.Height} where {LedgerText.ChainName(chain)} block {next} was due.");
                    }

                    failures = 0;
                    next++;
                    yield return block;
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task<StreamReader?> OpenStreamAsync(ChainId chain, ulong from, CancellationToken cancellationToken)
    {
        HttpResponseMessage? response = null;
        try
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(LedgerRoutes.ChainStreamPath(chain, from), UriKind.Relative));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            request.Dispose();
            if (!response.IsSuccessStatusCode)
            {
                var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                response.Dispose();
                if (error.Reason == RejectReason.ChainUnavailable)
                {
                    throw new LedgerRejectedException(error);
                }

                return null;
            }

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new StreamReader(stream);
        }
        catch (HttpRequestException)
        {
            response?.Dispose();
            return null;
        }
    }

    private static async Task<Block?> ReadEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? data = null;
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return Block.Decode(Convert.FromBase64String(data));
                }

                continue;
            }

            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data = line[5..].Trim();
            }
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
        using var response = await _http.GetAsync(new Uri(LedgerRoutes.GenesisPath(), UriKind.Relative), cancellationToken).ConfigureAwait(false);
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
    }

    private async Task<T?> GetOrNullAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
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

    private static async Task<Rejection> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
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
