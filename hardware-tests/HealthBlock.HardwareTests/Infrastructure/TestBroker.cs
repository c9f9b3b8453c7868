using System.Net;
using MQTTnet.Server;

namespace HealthBlock.HardwareTests.Infrastructure;

/// <summary>
/// An in-process MQTTnet broker on 127.0.0.1 with a port chosen by the OS; it can be stopped and started again on
/// the same port (a broker or gateway restart).
/// </summary>
public sealed class TestBroker : IAsyncDisposable
{
    private MqttServer? _server;

    private TestBroker()
    {
    }

    /// <summary>The TCP port.</summary>
    public int Port { get; private set; }

    /// <summary>Whether it is running.</summary>
    public bool IsRunning => _server is not null;

    public static async Task<TestBroker> StartAsync()
    {
        var broker = new TestBroker();
        await broker.StartAgainAsync();
        return broker;
    }

    /// <summary>Starts (again) on <see cref="Port"/>, or on a free port the first time.</summary>
    public async Task StartAgainAsync()
    {
        if (_server is not null)
        {
            return;
        }

        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(Port)
            .WithDefaultEndpointReuseAddress()
            .Build();
        var server = factory.CreateMqttServer(options);
        await server.StartAsync();
        Port = options.DefaultEndpointOptions.Port;
        _server = server;
    }

    /// <summary>Stops the broker, dropping every connection.</summary>
    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync();
            server.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
