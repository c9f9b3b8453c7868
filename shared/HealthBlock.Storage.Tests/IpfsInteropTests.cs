using System.Net.Http.Headers;
using System.Text.Json;
using HealthBlock.Protocol.Content;
using HealthBlock.Storage.Tests.Infrastructure;

namespace HealthBlock.Storage.Tests;

/// <summary>
/// Our CIDs against a real IPFS node's, through the node's RPC API directly (not through our client), so
/// the client's own checks are not what is being trusted.
/// </summary>
[RequiresIpfs]
public sealed class IpfsInteropTests : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = IpfsTestEnvironment.ApiUri, Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    [StoreTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(11)]
    [InlineData(1000)]
    [InlineData(65_536)]
    [InlineData(262_144)]
    [InlineData(777_777)]
    [InlineData(1_048_575)]
    [InlineData(ContentStoreLimits.MaxBlockSize)]
    public async Task The_nodes_CID_for_a_raw_block_equals_ours(int size)
    {
        var block = TestBlocks.Random(size, seed: 1000 + size);

        var key = await RawPutAsync(block);

        Assert.Equal(Cid.Compute(block).ToString(), key);
    }

    [StoreFact]
    public async Task The_nodes_CID_for_hello_world_is_the_known_vector()
    {
        Assert.Equal(TestBlocks.HelloWorldCid, await RawPutAsync(TestBlocks.HelloWorld));
        Assert.Equal(TestBlocks.HelloWorldCid, Cid.Compute(TestBlocks.HelloWorld).ToString());
    }

    [StoreFact]
    public async Task A_block_put_through_our_client_is_served_by_the_node_under_our_CID_and_pinned()
    {
        using var store = IpfsStores.Create();
        var block = TestBlocks.Unique(300_000);

        var cid = await store.PutAsync(block);

        using var get = await _http.PostAsync(new Uri($"api/v0/block/get?arg={cid}", UriKind.Relative), null);
        get.EnsureSuccessStatusCode();
        Assert.Equal(block, await get.Content.ReadAsByteArrayAsync());
        using var pins = await _http.PostAsync(new Uri($"api/v0/pin/ls?arg={cid}", UriKind.Relative), null);
        pins.EnsureSuccessStatusCode();
        Assert.Contains("recursive", await pins.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_block_put_directly_on_the_node_is_read_back_and_verified_by_our_client()
    {
        using var store = IpfsStores.Create();
        var block = TestBlocks.Unique(50_000);
        var key = await RawPutAsync(block);

        var back = await store.GetAsync(Cid.Parse(key));

        Assert.Equal(block, back);
    }

    [StoreFact]
    public async Task The_node_reports_its_version()
    {
        using var store = IpfsStores.Create();

        var version = await store.GetVersionAsync();

        Assert.False(string.IsNullOrWhiteSpace(version));
    }

    private async Task<string> RawPutAsync(byte[] block)
    {
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(block);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(part, "file", "block");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/v0/block/put?cid-codec=raw&format=raw&mhtype=sha2-256&mhlen=32", UriKind.Relative)) { Content = form };
        request.Headers.TransferEncodingChunked = true; // js-ipfs refuses a Content-Length over 1 MiB
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"block/put answered {(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        Assert.Equal(block.Length, json.RootElement.GetProperty("Size").GetInt32());
        return json.RootElement.GetProperty("Key").GetString()!;
    }
}
