using System.Net;
using System.Text;

namespace HealthBlock.Storage.Tests.Infrastructure;

/// <summary>An HTTP handler that plays an IPFS node: each request is answered by <paramref name="respond"/>.</summary>
public sealed class FakeIpfsHandler(Func<HttpRequestMessage, byte[], HttpResponseMessage> respond) : HttpMessageHandler
{
    /// <summary>The requests seen, with their bodies.</summary>
    public List<(HttpRequestMessage Request, byte[] Body)> Requests { get; } = [];

    /// <summary>A JSON answer.</summary>
    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>A binary answer.</summary>
    public static HttpResponseMessage Bytes(byte[] body) => new(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };

    /// <summary>Kubo's error body.</summary>
    public static HttpResponseMessage Error(string message, HttpStatusCode status = HttpStatusCode.InternalServerError) =>
        Json($"{{\"Message\":\"{message}\",\"Code\":0,\"Type\":\"error\"}}", status);

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add((request, body));
        }

        return respond(request, body);
    }
}
