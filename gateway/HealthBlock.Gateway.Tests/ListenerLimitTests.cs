using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HealthBlock.Alerts;
using HealthBlock.Gateway.Mqtt;
using HealthBlock.TestSupport;
using HealthBlock.Wearable.Simulation.Wearable;
using MQTTnet;

namespace HealthBlock.Gateway.Tests;

/// <summary>Runs alone: it measures the process's allocations, which other tests running beside it would add to.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}

/// <summary>
/// The broker listener's bounds (docs/security.md G10): a connection flood from one address (127.0.0.2), packets that
/// announce 200 MiB, silent connections and a publish burst each hit their limit, are counted and alerted in summary,
/// and the honest device on 127.0.0.1 keeps getting its frames acknowledged throughout.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class ListenerLimitTests : IAsyncLifetime
{
    private static readonly MqttListenerLimits Limits = new()
    {
        MaxConnections = 64,
        MaxConnectionsPerAddress = 8,
        HandshakeTimeout = TimeSpan.FromSeconds(2),
        IdleTimeout = TimeSpan.FromSeconds(3),
        PublishesPerSecond = 50,
        PublishBurst = 20,
        AlertInterval = TimeSpan.FromSeconds(1),
    };

    private readonly ConcurrentQueue<Alert> _alerts = new();
    private GatewayWorld _world = null!;

    public async Task InitializeAsync()
    {
        _world = await GatewayWorld.StartAsync(configure: o => o with { MqttLimits = Limits });
        _world.Gateway.Alerts.Add(new CallbackAlertSink("test", _alerts.Enqueue));
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private int Port => _world.Gateway.MqttPort;

    [Fact]
    public async Task A_connection_flood_from_one_address_is_capped_counted_and_alerted_in_summary_while_an_honest_device_is_served()
    {
        var honest = _world.PairDevice(0x600d);
        var flood = new List<Socket>();
        try
        {
            for (var i = 0; i < 200; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
                flood.Add(socket);
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, Port);
                }
                catch (SocketException)
                {
                    // Reset by the gateway at once: what a refused flood connection looks like from outside.
                }
            }

            await Eventually.WaitUntilAsync(() => _world.Gateway.LimitHits.Total(ListenerLimit.ConnectionsPerAddress) >= 150, "the flood to hit the per-address limit", TimeSpan.FromSeconds(20));
            Assert.True(_world.Gateway.Broker!.OpenConnections <= Limits.MaxConnectionsPerAddress);

            using var client = await GatewayWorld.ConnectDeviceAsync(honest, "127.0.0.1", Port);
            for (var i = 0; i < 10; i++)
            {
                var ack = await GatewayWorld.PublishAsync(client, honest.Topic(_world.Patient.Id.ToString()), honest.Ecg());
                Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
            }
        }
        finally
        {
            flood.ForEach(s => s.Dispose());
        }

        // Every hit is counted; the alerts are a first one and summaries, not one per connection.
        await Eventually.WaitUntilAsync(() => _alerts.Any(a => a.Message.Contains("more times", StringComparison.Ordinal)), "a summary alert", TimeSpan.FromSeconds(10));
        var floodAlerts = _alerts.Where(a => a.Kind == AlertKind.LimitReached && a.Details["limit"] == ListenerLimit.ConnectionsPerAddress.Name()).ToList();
        Assert.InRange(floodAlerts.Count, 2, 25);
        Assert.All(floodAlerts, a => Assert.StartsWith("127.0.0.2", a.ClientAddress ?? "127.0.0.2", StringComparison.Ordinal));
        Assert.Equal(10, _world.Gateway.Ingestor.AcceptedCount);
    }

    [Fact]
    public async Task Packets_announcing_200_MiB_are_refused_from_their_header_without_buffering_and_the_honest_device_is_served()
    {
        var honest = _world.PairDevice(0x600e);
        var ca = X509CertificateLoader.LoadCertificate(_world.Gateway.BrokerCertificates!.CaCertificateDer);
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        // Four anonymous clients: TLS, then a PUBLISH header announcing 200 MiB, then as much of it as the gateway takes.
        var sent = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SendOversizedAsync(ca, 200 << 20)));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.All(sent, bytes => Assert.True(bytes < 64 << 20, $"the gateway read {bytes} bytes of an oversized packet before closing"));

        // The bound: 800 MiB announced; under 64 MiB allocated by the whole process while refusing them.
        Assert.True(allocated < 64L << 20, $"{allocated} bytes allocated while refusing oversized packets");
        Assert.Equal(4, _world.Gateway.LimitHits.Total(ListenerLimit.PacketTooLarge));

        // A paired device sending a payload above the bound is cut off too; its next connection is served.
        using (var big = await GatewayWorld.ConnectDeviceAsync(honest, "127.0.0.1", Port))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => GatewayWorld.PublishAsync(big, honest.Topic(_world.Patient.Id.ToString()), new byte[Limits.MaxPacketSize + 1]));
        }

        using var client = await GatewayWorld.ConnectDeviceAsync(honest, "127.0.0.1", Port);
        var ack = await GatewayWorld.PublishAsync(client, honest.Topic(_world.Patient.Id.ToString()), honest.Ecg());
        Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        Assert.Equal(5, _world.Gateway.LimitHits.Total(ListenerLimit.PacketTooLarge));
        Assert.Contains(_alerts, a => a.Kind == AlertKind.LimitReached && a.Details["limit"] == ListenerLimit.PacketTooLarge.Name());
    }

    [Fact]
    public async Task Silent_connections_are_closed_at_the_handshake_and_idle_limits()
    {
        // TCP only, no TLS hello: closed at the handshake time.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(IPAddress.Loopback, Port);
        Assert.Equal(0, await silent.ReceiveAsync(new byte[16]));
        Assert.Equal(1, _world.Gateway.LimitHits.Total(ListenerLimit.Handshake));

        // Logged in, keep-alive off, then silent: closed at the idle time.
        var device = _world.PairDevice(0x51e);
        var client = new MqttClientFactory().CreateMqttClient();
        var options = DeviceTlsOptions.Builder("127.0.0.1", Port, "silent", device.Security).WithKeepAlivePeriod(TimeSpan.Zero).Build();
        Assert.Equal(MqttClientConnectResultCode.Success, (await client.ConnectAsync(options)).ResultCode);
        await Eventually.WaitUntilAsync(() => !client.IsConnected, "the idle connection to be closed", TimeSpan.FromSeconds(20));
        Assert.Equal(1, _world.Gateway.LimitHits.Total(ListenerLimit.Idle));
        client.Dispose();
    }

    [Fact]
    public async Task A_publish_burst_beyond_the_rate_is_slowed_not_refused_and_counted()
    {
        var device = _world.PairDevice(0xb0b);
        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", Port);
        var acks = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => device.Ecg()).ToList()
            .Select(frame => GatewayWorld.PublishAsync(client, device.Topic(_world.Patient.Id.ToString()), frame)));

        Assert.All(acks, a => Assert.Equal(MqttClientPublishReasonCode.Success, a.ReasonCode));
        Assert.Equal(60, _world.Gateway.Ingestor.AcceptedCount);
        Assert.True(_world.Gateway.LimitHits.Total(ListenerLimit.PublishRate) > 0);
    }

    /// <summary>Opens TLS, sends a PUBLISH header announcing <paramref name="announced"/> bytes and then zeros until the gateway closes; returns the bytes it took.</summary>
    private async Task<long> SendOversizedAsync(X509Certificate2 ca, int announced)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 0));
        await socket.ConnectAsync(IPAddress.Loopback, Port);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), false, (_, cert, _, errors) => DeviceTlsOptions.ChainsTo(ca, cert, errors));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1", EnabledSslProtocols = SslProtocols.Tls12 });
        var header = new List<byte> { 0x30 };
        for (var length = announced; ; length >>= 7)
        {
            header.Add((byte)((length & 0x7F) | (length > 0x7F ? 0x80 : 0)));
            if (length <= 0x7F)
            {
                break;
            }
        }

        long sent = 0;
        var chunk = new byte[64 << 10];
        try
        {
            await tls.WriteAsync(header.ToArray());
            while (sent < announced)
            {
                await tls.WriteAsync(chunk);
                sent += chunk.Length;
            }
        }
        catch (IOException)
        {
            // Closed by the gateway.
        }

        return sent;
    }
}
