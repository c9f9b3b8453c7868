using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Devnet;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using HealthBlock.TestSupport;

namespace HealthBlock.Accounting.Tests;

/// <summary>
/// The ledger API's bounds: a connection flood from another address (127.0.0.2), oversized bodies and a request flood
/// are refused, counted and alerted while an honest client on 127.0.0.1 is served.
/// </summary>
[Collection("ledger")]
public sealed class HttpLimitsTests
{
    private static readonly HttpLimits Tight = new()
    {
        MaxConnections = 256,
        MaxConnectionsPerSource = 16,
        RequestsPerSecondPerSource = 50,
        RequestBurstPerSource = 50,
    };

    [Fact]
    public async Task A_connection_flood_from_one_address_is_cut_at_its_limit_and_another_address_is_still_served()
    {
        await using var cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { HttpLimits = Tight });
        var node = await cluster.WaitForLeaderAsync(Helpers.Timeout);
        var alerts = Collect(node);
        var port = node.HttpUrl.Port;

        // 200 silent connections from 127.0.0.2: the first 16 are held, the rest closed at once.
        var flood = new List<Socket>();
        try
        {
            for (var i = 0; i < 200; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
                flood.Add(s);
                try
                {
                    await s.ConnectAsync(IPAddress.Loopback, port);
                }
                catch (SocketException)
                {
                    // Closed by the node before the connect completed on this side: refused all the same.
                }
            }

            await Eventually.WaitUntilAsync(() => node.HttpLimitHits.ConnectionsRefused >= 200 - Tight.MaxConnectionsPerSource, "the excess connections are refused");

            // The honest client on 127.0.0.1 reads and submits as usual.
            using var ledger = new LedgerClient(node.HttpUrl, cluster.Genesis, cluster.Admin);
            Assert.Equal(node.NodeId.ToString(), (await ledger.GetStatusAsync()).NodeId);
            using var patientKey = IdentityKey.Generate();
            var patient = new TransactionSigner(patientKey, cluster.Genesis.NetworkId);
            await Helpers.CommitAsync(ledger, await Helpers.AdminRegistersAsync(ledger, cluster.Admin, patientKey.Public));
        }
        finally
        {
            flood.ForEach(s => s.Dispose());
        }

        Assert.Equal(200 - Tight.MaxConnectionsPerSource, node.HttpLimitHits.ConnectionsRefused);
        var limit = Assert.Single(alerts, a => a.Kind == AlertKind.LimitReached);
        Assert.Equal("127.0.0.2", limit.ClientAddress);
        Assert.Equal("HTTP connections per source", limit.Details["limit"]);
    }

    [Fact]
    public async Task Bodies_larger_than_a_transaction_are_refused_before_buffering()
    {
        await using var cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { HttpLimits = Tight });
        var node = await cluster.WaitForLeaderAsync(Helpers.Timeout);
        using var http = new HttpClient(LedgerTls.PinnedHandler(cluster.Genesis)) { BaseAddress = node.HttpUrl };

        // Announced size over the limit, then a chunked body without a length: 8 clients x 28 MiB each.
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var posts = Enumerable.Range(0, 8).Select(async i =>
        {
            using HttpContent content = i % 2 == 0 ? new ByteArrayContent(new byte[28 << 20]) : new StreamContent(new ZeroStream(28 << 20));
            content.Headers.ContentType = new MediaTypeHeaderValue(LedgerClient.CborMediaType);
            try
            {
                using var response = await http.PostAsync(new Uri(LedgerRoutes.TransactionsPath(), UriKind.Relative), content);
                return (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
                return 413; // the server answered and closed while the client was still sending
            }
        });
        var statuses = await Task.WhenAll(posts);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        Assert.All(statuses, s => Assert.Equal(413, s));
        Assert.True(node.HttpLimitHits.BodiesRefused >= 4, $"bodies refused: {node.HttpLimitHits.BodiesRefused}");

        // The clients' own 4 x 28 MiB arrays are allocated here too; buffering on the server would add 8 x 28 MiB more.
        Assert.True(allocated < (4 * 28L << 20) + (64L << 20), $"{allocated >> 20} MiB allocated while refusing 224 MiB of bodies");
        using var ledger = new LedgerClient(node.HttpUrl, cluster.Genesis, cluster.Admin);
        Assert.Equal(node.NodeId.ToString(), (await ledger.GetStatusAsync()).NodeId);
    }

    [Fact]
    public async Task A_request_flood_is_answered_429_with_a_retryable_reason_and_alerted_once_per_window()
    {
        await using var cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { HttpLimits = Tight });
        var node = await cluster.WaitForLeaderAsync(Helpers.Timeout);
        var alerts = Collect(node);
        using var http = new HttpClient(Pinned(cluster.Genesis, maxConnections: 4)) { BaseAddress = node.HttpUrl };

        var statuses = await Task.WhenAll(Enumerable.Range(0, 300).Select(async _ =>
        {
            using var response = await http.GetAsync(new Uri(LedgerRoutes.StatusPath(), UriKind.Relative));
            return (int)response.StatusCode;
        }));

        Assert.Contains(429, statuses);
        Assert.Contains(200, statuses);
        Assert.Equal(statuses.Count(s => s == 429), node.HttpLimitHits.RequestsThrottled);
        Assert.Single(alerts, a => a.Kind == AlertKind.LimitReached);

        // A submitter sees the refusal as Overloaded, a transient reason it retries.
        using var flooded = new HttpClient(Pinned(cluster.Genesis, maxConnections: 4)) { BaseAddress = node.HttpUrl };
        using var ledger = new LedgerClient(flooded, caller: cluster.Admin);
        using var patientKey = IdentityKey.Generate();
        var tx = new TransactionSigner(patientKey, cluster.Genesis.NetworkId).Sign(RegisterPayload.For(patientKey.Public, Role.Patient, "p"));
        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => http.GetAsync(new Uri(LedgerRoutes.StatusPath(), UriKind.Relative))));
        var result = await ledger.SubmitAsync(tx);
        Assert.True(result.Accepted || result.Reason.IsTransient(), $"{result.Reason}: {result.Message}");
    }

    private static SocketsHttpHandler Pinned(Genesis genesis, int maxConnections)
    {
        var handler = LedgerTls.PinnedHandler(genesis);
        handler.MaxConnectionsPerServer = maxConnections;
        return handler;
    }

    private static System.Collections.Concurrent.ConcurrentQueue<Alert> Collect(AccountingNode node)
    {
        var alerts = new System.Collections.Concurrent.ConcurrentQueue<Alert>();
        node.Alerts.Add(new CallbackAlertSink("test", alerts.Enqueue));
        return alerts;
    }

    private sealed class ZeroStream(long length) : Stream
    {
        private long _left = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, _left);
            Array.Clear(buffer, offset, n);
            _left -= n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
