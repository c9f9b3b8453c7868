using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HealthBlock.Protocol.Content;

namespace HealthBlock.Storage.Ipfs;

/// <summary>
/// An <see cref="IContentStore"/> on an IPFS node, over the Kubo RPC API (<c>/api/v0/block/put</c>,
/// <c>block/get</c>, <c>block/stat</c>, <c>pin/add</c>, <c>version</c>). Works with Kubo and with js-ipfs.
/// </summary>
/// <remarks>
/// <para>Nothing the node says is trusted: a put fails unless the node reports the CID we computed (CIDv1,
/// raw, sha2-256; a node that ignores the codec and answers with a CIDv0/dag-pb CID is refused), and every
/// block read back is re-hashed (<see cref="BlockTamperedException"/> names the node's URL).</para>
/// <para>Every request is bounded by <see cref="IpfsContentStoreOptions.RequestTimeout"/>; a refused
/// connection or a node that does not answer in time gives <see cref="StoreUnavailableException"/> naming
/// the URL. Cancelling the caller's token gives <see cref="OperationCanceledException"/>.</para>
/// <para>All members are safe for concurrent use. Dispose the store to release the HTTP client it created
/// (a client passed in is not disposed).</para>
/// </remarks>
public sealed class IpfsContentStore : IContentStore, IDisposable
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    private readonly IpfsContentStoreOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string _endpoint;

    /// <summary>Creates a store on the node at <see cref="IpfsContentStoreOptions.ApiUri"/> with its own HTTP client.</summary>
    /// <param name="options">Where the node is and how long to wait for it.</param>
    public IpfsContentStore(IpfsContentStoreOptions options)
        : this(options, CreateHttpClient(options), ownsHttpClient: true)
    {
    }

    /// <summary>Creates a store that sends its requests through <paramref name="httpClient"/> (not disposed by the store).</summary>
    /// <param name="options">Where the node is and how long to wait for it.</param>
    /// <param name="httpClient">The client to use; its own <see cref="HttpClient.Timeout"/> should not be shorter than the request timeout.</param>
    public IpfsContentStore(IpfsContentStoreOptions options, HttpClient httpClient)
        : this(options, httpClient, ownsHttpClient: false)
    {
    }

    private IpfsContentStore(IpfsContentStoreOptions options, HttpClient httpClient, bool ownsHttpClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        _options = options;
        _http = httpClient;
        _ownsHttp = ownsHttpClient;
        _endpoint = options.ApiUri.AbsoluteUri.TrimEnd('/');
        Name = "IPFS node " + _endpoint;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The node's RPC API base URL.</summary>
    public Uri ApiUri => _options.ApiUri;

    /// <inheritdoc />
    public async Task<Cid> PutAsync(ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default)
    {
        if (block.Length > ContentStoreLimits.MaxBlockSize)
        {
            throw new BlockTooLargeException(block.Length, Name);
        }

        var cid = Cid.Compute(block.Span);

        // Kubo reads cid-codec (format is its deprecated alias, accepted together with cid-codec=raw);
        // js-ipfs reads only format and would otherwise make a CIDv0 dag-pb block. Both answer {Key, Size}.
        var query = "cid-codec=raw&format=raw&mhtype=sha2-256&mhlen=32&cid-base=base32&pin=" + (_options.PinOnPut ? "true" : "false");
        var answer = await CallAsync("block/put", query, cid, async (token) =>
        {
            using var form = new MultipartFormDataContent();
            var part = new ReadOnlyMemoryContent(block);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", "block");
            using var response = await PostAsync("block/put", query, form, token).ConfigureAwait(false);
            await ThrowIfFailedAsync(response, "block/put", cid, token).ConfigureAwait(false);
            return await ReadJsonAsync(response, "block/put", token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        var key = answer.TryGetProperty("Key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        if (!Cid.TryParse(key, out var nodeCid, out var error) || !nodeCid.Equals(cid))
        {
            throw new StoreException(
                $"{Name} stored block {cid} under CID '{key}' instead ({(nodeCid is null ? error : "a different digest")}): " +
                "the node does not make CIDv1 raw sha2-256 CIDs for block/put?cid-codec=raw, so it cannot serve HealthBlock blocks.",
                Name,
                cid);
        }

        if (answer.TryGetProperty("Size", out var size) && size.TryGetInt64(out var stored) && stored != block.Length)
        {
            throw new StoreException(
                string.Create(CultureInfo.InvariantCulture, $"{Name} reported {stored:N0} bytes stored for block {cid} of {block.Length:N0} bytes."),
                Name,
                cid);
        }

        return cid;
    }

    /// <inheritdoc />
    public Task<byte[]> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        var query = LookupQuery(cid);
        return CallAsync("block/get", query, cid, async (token) =>
        {
            using var response = await PostAsync("block/get", query, null, token).ConfigureAwait(false);
            if (await IsNotFoundAsync(response, "block/get", cid, token).ConfigureAwait(false))
            {
                throw new BlockNotFoundException(cid, Name);
            }

            var bytes = await ReadBlockAsync(response, cid, token).ConfigureAwait(false);
            if (!cid.Matches(bytes))
            {
                throw new BlockTamperedException(cid, Name, string.Create(CultureInfo.InvariantCulture, $"The node returned {bytes.Length:N0} bytes that hash to {Cid.Compute(bytes)}."));
            }

            return bytes;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        var query = LookupQuery(cid);
        return CallAsync("block/stat", query, cid, async (token) =>
        {
            using var response = await PostAsync("block/stat", query, null, token).ConfigureAwait(false);
            return !await IsNotFoundAsync(response, "block/stat", cid, token).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task PinAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        var query = LookupQuery(cid);
        return CallAsync("pin/add", query, cid, async (token) =>
        {
            using var response = await PostAsync("pin/add", query, null, token).ConfigureAwait(false);
            if (await IsNotFoundAsync(response, "pin/add", cid, token).ConfigureAwait(false))
            {
                throw new BlockNotFoundException(cid, Name);
            }

            return 0;
        }, cancellationToken);
    }

    /// <summary>Asks the node for its version (<c>/api/v0/version</c>): a cheap liveness check.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The node's version string, e.g. <c>0.18.1</c> (js-ipfs) or <c>0.39.0</c> (Kubo).</returns>
    /// <exception cref="StoreUnavailableException">The node could not be reached or did not answer in time.</exception>
    public Task<string> GetVersionAsync(CancellationToken cancellationToken = default) =>
        CallAsync("version", string.Empty, null, async (token) =>
        {
            using var response = await PostAsync("version", string.Empty, null, token).ConfigureAwait(false);
            await ThrowIfFailedAsync(response, "version", null, token).ConfigureAwait(false);
            var answer = await ReadJsonAsync(response, "version", token).ConfigureAwait(false);
            return answer.TryGetProperty("Version", out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString() ?? string.Empty
                : throw new StoreException($"{Name} answered /api/v0/version without a Version.", Name, null);
        }, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static HttpClient CreateHttpClient(IpfsContentStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseProxy = false,
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private string LookupQuery(Cid cid)
    {
        var timeout = Math.Max(1, (long)Math.Ceiling(_options.LookupTimeout.TotalMilliseconds));
        return string.Create(CultureInfo.InvariantCulture, $"arg={cid}&timeout={timeout}ms{(_options.LocalOnly ? "&offline=true" : string.Empty)}");
    }

    private async Task<HttpResponseMessage> PostAsync(string command, string query, HttpContent? content, CancellationToken token)
    {
        var uri = new Uri(_options.ApiUri, "api/v0/" + command + (query.Length == 0 ? string.Empty : "?" + query));
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };

        // Uploads go chunked: js-ipfs (hapi) refuses any request whose Content-Length exceeds 1 MiB, which a
        // 1 MiB block plus its multipart envelope does. Kubo and js-ipfs both read chunked bodies.
        request.Headers.TransferEncodingChunked = content is not null;
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
    }

    /// <summary>Runs one request under the request timeout and maps transport failures to store exceptions.</summary>
    private async Task<T> CallAsync<T>(string command, string query, Cid? cid, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        var url = $"{_endpoint}/api/v0/{command}";
        try
        {
            return await call(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException(
                _endpoint,
                string.Create(CultureInfo.InvariantCulture, $"IPFS node {url} did not answer within {_options.RequestTimeout.TotalSeconds:0.###} s{About(cid)}."),
                cid,
                e);
        }
        catch (HttpRequestException e)
        {
            throw new StoreUnavailableException(_endpoint, $"IPFS node {url} could not be reached{About(cid)}: {e.Message}", cid, e);
        }
        catch (IOException e)
        {
            throw new StoreUnavailableException(_endpoint, $"The connection to IPFS node {url} failed{About(cid)}: {e.Message}", cid, e);
        }
        catch (JsonException e)
        {
            throw new StoreException($"IPFS node {url} sent an answer that is not JSON{About(cid)}: {e.Message}", Name, cid, e);
        }
    }

    private static string About(Cid? cid) => cid is null ? string.Empty : $" (block {cid})";

    /// <summary>
    /// True when the node says it does not hold the block: HTTP 404, or an error whose message says not found
    /// (Kubo offline: "block was not found locally (offline): ipld: could not find …") or that the node's own
    /// lookup timeout ran out (js-ipfs: "request timed out"). Throws on any other error.
    /// </summary>
    private async Task<bool> IsNotFoundAsync(HttpResponseMessage response, string command, Cid cid, CancellationToken token)
    {
        if (response.IsSuccessStatusCode)
        {
            return false;
        }

        var (message, fromNode) = await ReadErrorAsync(response, token).ConfigureAwait(false);

        // Only the node's own JSON error counts: a plain 404 page means a wrong URL, not a missing block.
        if (fromNode && (response.StatusCode == HttpStatusCode.NotFound || MeansNotFound(message)))
        {
            return true;
        }

        throw Failure(response, command, cid, message);
    }

    private static bool MeansNotFound(string message) =>
        message.Contains("not found", StringComparison.OrdinalIgnoreCase)
        || message.Contains("could not find", StringComparison.OrdinalIgnoreCase)
        || message.Contains("timed out", StringComparison.OrdinalIgnoreCase)
        || message.Contains("deadline exceeded", StringComparison.OrdinalIgnoreCase);

    private async Task ThrowIfFailedAsync(HttpResponseMessage response, string command, Cid? cid, CancellationToken token)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response, command, cid, (await ReadErrorAsync(response, token).ConfigureAwait(false)).Message);
        }
    }

    private StoreException Failure(HttpResponseMessage response, string command, Cid? cid, string message)
    {
        var status = (int)response.StatusCode;
        var text = string.Create(CultureInfo.InvariantCulture, $"IPFS node {_endpoint}/api/v0/{command} refused the request{About(cid)}: HTTP {status}: {message}");
        if (status == 404)
        {
            text += $" (is {_endpoint} the base URL of the node's RPC API, without /api/v0?)";
        }

        // 502/503/504 come from proxies in front of a node that is down.
        return status is 502 or 503 or 504
            ? new StoreUnavailableException(_endpoint, text, cid)
            : new StoreException(text, Name, cid);
    }

    /// <summary>The error's message; FromNode when it came as the node's JSON error object ({Message, Code, Type}).</summary>
    private static async Task<(string Message, bool FromNode)> ReadErrorAsync(HttpResponseMessage response, CancellationToken token)
    {
        var body = await ReadLimitedAsync(response, MaxErrorBodyBytes, token).ConfigureAwait(false);
        var text = Encoding.UTF8.GetString(body.Bytes, 0, body.Length).Trim();
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("Message", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                return (message.GetString() ?? string.Empty, true);
            }
        }
        catch (JsonException)
        {
            // Not the node's JSON error: report the text as it came.
        }

        return (text.Length == 0 ? response.ReasonPhrase ?? "no message" : text, false);
    }

    private async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, string command, CancellationToken token)
    {
        var body = await ReadLimitedAsync(response, MaxErrorBodyBytes, token).ConfigureAwait(false);
        using var json = JsonDocument.Parse(body.Bytes.AsMemory(0, body.Length));
        if (json.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new StoreException($"IPFS node {_endpoint}/api/v0/{command} answered with JSON that is not an object.", Name, null);
        }

        return json.RootElement.Clone();
    }

    private async Task<byte[]> ReadBlockAsync(HttpResponseMessage response, Cid cid, CancellationToken token)
    {
        if (response.Content.Headers.ContentLength is > ContentStoreLimits.MaxBlockSize and var declared)
        {
            throw new BlockTamperedException(cid, Name, string.Create(CultureInfo.InvariantCulture, $"The node announced {declared:N0} bytes, more than any block."));
        }

        var body = await ReadLimitedAsync(response, ContentStoreLimits.MaxBlockSize, token).ConfigureAwait(false);
        if (body.Truncated)
        {
            throw new BlockTamperedException(cid, Name, "The node sent more bytes than any block holds.");
        }

        return body.Length == body.Bytes.Length ? body.Bytes : body.Bytes.AsSpan(0, body.Length).ToArray();
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes of the body; Truncated when it held more.</summary>
    private static async Task<(byte[] Bytes, int Length, bool Truncated)> ReadLimitedAsync(HttpResponseMessage response, int limit, CancellationToken token)
    {
        var declared = response.Content.Headers.ContentLength;
        var buffer = new byte[declared is { } d && d <= limit ? d : Math.Min(limit, 64 * 1024)];
        var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    // Full: one more byte tells whether the body ends here.
                    var probe = new byte[1];
                    if (await stream.ReadAsync(probe, token).ConfigureAwait(false) == 0)
                    {
                        return (buffer, length, false);
                    }

                    if (length >= limit)
                    {
                        return (buffer, length, true);
                    }

                    Array.Resize(ref buffer, (int)Math.Min(limit, Math.Max(4096L, (long)buffer.Length * 2)));
                    buffer[length++] = probe[0];
                    continue;
                }

                var n = await stream.ReadAsync(buffer.AsMemory(length), token).ConfigureAwait(false);
                if (n == 0)
                {
                    return (buffer, length, false);
                }

                length += n;
            }
        }
    }
}
