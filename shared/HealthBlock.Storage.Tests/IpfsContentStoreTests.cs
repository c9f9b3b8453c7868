using System.Net;
using System.Net.Sockets;
using System.Text;
using HealthBlock.Protocol.Content;
using HealthBlock.Storage.Ipfs;
using HealthBlock.Storage.Tests.Infrastructure;

namespace HealthBlock.Storage.Tests;

/// <summary>The IPFS client against nodes that fail or lie, without a daemon: unreachable ports, silent listeners, fake answers.</summary>
public sealed class IpfsContentStoreTests
{
    private static readonly Uri FakeNode = new("http://127.0.0.1:5999");

    private static IpfsContentStore StoreOn(FakeIpfsHandler handler, out HttpClient client)
    {
        client = new HttpClient(handler);
        return new IpfsContentStore(new IpfsContentStoreOptions { ApiUri = FakeNode, RequestTimeout = TimeSpan.FromSeconds(10) }, client);
    }

    [Fact]
    public async Task A_closed_loopback_port_gives_StoreUnavailableException_naming_the_URL()
    {
        using var closed = new ClosedPort();
        var url = $"http://127.0.0.1:{closed.Port}";
        using var store = new IpfsContentStore(new IpfsContentStoreOptions { ApiUri = new Uri(url), RequestTimeout = TimeSpan.FromSeconds(5) });
        var cid = Cid.Compute(TestBlocks.HelloWorld);

        var put = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.PutAsync(TestBlocks.HelloWorld).WaitAsync(TimeSpan.FromSeconds(60)));
        var get = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync(cid));
        var has = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.HasAsync(cid));
        var pin = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.PinAsync(cid));
        var version = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetVersionAsync());

        Assert.All(new[] { put, get, has, pin, version }, e =>
        {
            Assert.Equal(url, e.Endpoint);
            Assert.Contains(url, e.Message, StringComparison.Ordinal);
        });
        Assert.Equal(cid, get.Cid);
    }

    [Fact]
    public async Task A_node_that_accepts_and_never_answers_gives_StoreUnavailableException_after_the_request_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            for (var i = 0; i < 4; i++)
            {
                accepted.Add(await silent.AcceptSocketAsync());
            }
        });
        var url = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        using var store = new IpfsContentStore(new IpfsContentStoreOptions { ApiUri = new Uri(url), RequestTimeout = TimeSpan.FromMilliseconds(300) });

        try
        {
            var put = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.PutAsync(TestBlocks.HelloWorld).WaitAsync(TimeSpan.FromSeconds(60)));
            var get = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync(Cid.Compute(TestBlocks.HelloWorld)).WaitAsync(TimeSpan.FromSeconds(60)));

            Assert.Contains("did not answer within 0.3 s", put.Message, StringComparison.Ordinal);
            Assert.Equal(url, get.Endpoint);
        }
        finally
        {
            silent.Stop();
            accepted.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Cancelling_the_callers_token_cancels_instead_of_reporting_the_node_unavailable()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var store = new IpfsContentStore(new IpfsContentStoreOptions
        {
            ApiUri = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}"),
            RequestTimeout = TimeSpan.FromSeconds(30),
        });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetAsync(Cid.Compute(TestBlocks.HelloWorld), cancel.Token).WaitAsync(TimeSpan.FromSeconds(60)));
        silent.Stop();
    }

    [Fact]
    public async Task Put_asks_for_a_raw_CIDv1_in_both_the_Kubo_and_the_js_ipfs_spelling_and_sends_the_block_as_a_multipart_file()
    {
        var handler = new FakeIpfsHandler((_, _) => FakeIpfsHandler.Json($"{{\"Key\":\"{TestBlocks.HelloWorldCid}\",\"Size\":11}}"));
        using var store = StoreOn(handler, out var client);
        using var _ = client;

        var cid = await store.PutAsync(TestBlocks.HelloWorld);

        Assert.Equal(TestBlocks.HelloWorldCid, cid.ToString());
        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/api/v0/block/put", request.RequestUri!.AbsolutePath);
        var query = request.RequestUri.Query;
        Assert.Contains("cid-codec=raw", query, StringComparison.Ordinal);
        Assert.Contains("format=raw", query, StringComparison.Ordinal);
        Assert.Contains("mhtype=sha2-256", query, StringComparison.Ordinal);
        Assert.Contains("mhlen=32", query, StringComparison.Ordinal);
        Assert.Contains("pin=true", query, StringComparison.Ordinal);
        Assert.StartsWith("multipart/form-data", request.Content!.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var text = Encoding.Latin1.GetString(body);
        Assert.Contains("name=file", text, StringComparison.Ordinal);
        Assert.Contains("hello world", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("QmaozNR7DZHQK1ZcU9p7QdrshMvXqWK6gpu5rmrkPdT3L4", "CIDv0")]
    [InlineData("bafkreie5vnkqgpw5e4ozzbd3twjp4zoa3ni2rjxnoqzdi3ctmbkz2iasu4", "different digest")]
    [InlineData("bafybeifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", "codec")]
    public async Task Put_fails_when_the_node_answers_with_another_CID_than_ours(string nodeKey, string expected)
    {
        var handler = new FakeIpfsHandler((_, _) => FakeIpfsHandler.Json($"{{\"Key\":\"{nodeKey}\",\"Size\":11}}"));
        using var store = StoreOn(handler, out var client);
        using var _ = client;

        var error = await Assert.ThrowsAsync<StoreException>(() => store.PutAsync(TestBlocks.HelloWorld));

        Assert.Contains(nodeKey, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(TestBlocks.HelloWorldCid, error.Cid!.ToString());
    }

    [Fact]
    public async Task A_block_served_with_other_bytes_is_refused_with_BlockTamperedException_naming_the_node()
    {
        var handler = new FakeIpfsHandler((_, _) => FakeIpfsHandler.Bytes("hello w0rld"u8.ToArray()));
        using var store = StoreOn(handler, out var client);
        using var _ = client;
        var cid = Cid.Parse(TestBlocks.HelloWorldCid);

        var error = await Assert.ThrowsAsync<BlockTamperedException>(() => store.GetAsync(cid));

        Assert.Equal(cid, error.Cid);
        Assert.Equal(store.Name, error.Store);
        Assert.Contains(FakeNode.AbsoluteUri.TrimEnd('/'), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_sending_more_than_a_block_is_cut_off_and_refused()
    {
        var handler = new FakeIpfsHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new MemoryStream(new byte[ContentStoreLimits.MaxBlockSize + 100])),
        });
        using var store = StoreOn(handler, out var client);
        using var _ = client;

        await Assert.ThrowsAsync<BlockTamperedException>(() => store.GetAsync(Cid.Parse(TestBlocks.HelloWorldCid)));
    }

    [Theory]
    [InlineData("block was not found locally (offline): ipld: could not find bafkrei", HttpStatusCode.InternalServerError)]
    [InlineData("request timed out", HttpStatusCode.InternalServerError)]
    [InlineData("anything", HttpStatusCode.NotFound)]
    public async Task The_nodes_not_found_answers_mean_missing(string message, HttpStatusCode status)
    {
        var handler = new FakeIpfsHandler((_, _) => FakeIpfsHandler.Error(message, status));
        using var store = StoreOn(handler, out var client);
        using var _ = client;
        var cid = Cid.Parse(TestBlocks.HelloWorldCid);

        Assert.False(await store.HasAsync(cid));
        await Assert.ThrowsAsync<BlockNotFoundException>(() => store.GetAsync(cid));
        await Assert.ThrowsAsync<BlockNotFoundException>(() => store.PinAsync(cid));
        Assert.All(handler.Requests, r =>
        {
            Assert.Contains("offline=true", r.Request.RequestUri!.Query, StringComparison.Ordinal);
            Assert.Contains("timeout=2000ms", r.Request.RequestUri!.Query, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Any_other_node_error_is_a_StoreException_with_the_nodes_message()
    {
        var handler = new FakeIpfsHandler((_, _) => FakeIpfsHandler.Error("datastore closed"));
        using var store = StoreOn(handler, out var client);
        using var _ = client;
        var cid = Cid.Parse(TestBlocks.HelloWorldCid);

        var has = await Assert.ThrowsAsync<StoreException>(() => store.HasAsync(cid));
        var put = await Assert.ThrowsAsync<StoreException>(() => store.PutAsync(TestBlocks.HelloWorld));

        Assert.Contains("datastore closed", has.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", put.Message, StringComparison.Ordinal);
        Assert.IsNotType<BlockNotFoundException>(has);
    }

    [Fact]
    public async Task A_plain_404_page_means_a_wrong_URL_not_a_missing_block()
    {
        var handler = new FakeIpfsHandler((_, _) => new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("404 page not found") });
        using var store = StoreOn(handler, out var client);
        using var _ = client;

        var error = await Assert.ThrowsAsync<StoreException>(() => store.HasAsync(Cid.Parse(TestBlocks.HelloWorldCid)));

        Assert.Contains("without /api/v0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_answering_503_means_the_node_is_unavailable()
    {
        var handler = new FakeIpfsHandler((_, _) => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        using var store = StoreOn(handler, out var client);
        using var _ = client;

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.PutAsync(TestBlocks.HelloWorld));
    }

    [Fact]
    public async Task A_block_over_1_MiB_is_refused_before_any_request()
    {
        var handler = new FakeIpfsHandler((_, _) => throw new InvalidOperationException("no request expected"));
        using var store = StoreOn(handler, out var client);
        using var _ = client;

        await Assert.ThrowsAsync<BlockTooLargeException>(() => store.PutAsync(new byte[ContentStoreLimits.MaxBlockSize + 1]));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void Options_refuse_relative_or_non_http_URLs_and_non_positive_timeouts()
    {
        Assert.Throws<ArgumentException>(() => new IpfsContentStoreOptions { ApiUri = new Uri("/api", UriKind.Relative) });
        Assert.Throws<ArgumentException>(() => new IpfsContentStoreOptions { ApiUri = new Uri("ftp://127.0.0.1/") });
        Assert.Throws<ArgumentOutOfRangeException>(() => new IpfsContentStoreOptions { RequestTimeout = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new IpfsContentStoreOptions { LookupTimeout = TimeSpan.FromSeconds(-1) });
    }

    [Fact]
    public async Task A_base_URL_with_a_path_keeps_the_path()
    {
        var handler = new FakeIpfsHandler((_, _) => FakeIpfsHandler.Json("{\"Version\":\"0.39.0\"}"));
        using var client = new HttpClient(handler);
        using var store = new IpfsContentStore(new IpfsContentStoreOptions { ApiUri = new Uri("http://127.0.0.1:5999/ipfs-node-2") }, client);

        Assert.Equal("0.39.0", await store.GetVersionAsync());
        Assert.Equal("/ipfs-node-2/api/v0/version", Assert.Single(handler.Requests).Request.RequestUri!.AbsolutePath);
    }
}
