using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HealthBlock.Alerts;
using Microsoft.Extensions.Logging;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace HealthBlock.Gateway.Mqtt;

/// <summary>
/// The embedded broker's one listener, in place of MQTTnet's own: it accepts a TCP connection only while the listener
/// and the client's address are under their connection limits (refused at once otherwise, before any TLS work), runs
/// the TLS handshake (unless plaintext was asked for) within the handshake time, and hands MQTTnet a stream that refuses
/// oversized packets from their header and closes idle connections (<see cref="PacketSizeGuardStream"/>).
/// </summary>
internal sealed class GuardedMqttListener : IMqttServerAdapter
{
    private readonly IPAddress _bindAddress;
    private readonly int _port;
    private readonly SslStreamCertificateContext? _certificate;
    private readonly MqttListenerLimits _limits;
    private readonly LimitAlerts _counters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Lock _lock = new();
    private CancellationTokenSource? _stop;
    private Socket? _socket;
    private Task? _acceptLoop;
    private IMqttNetLogger _mqttLogger = MqttNetNullLogger.Instance;
    private int _open;
    private int _disposed;

    public GuardedMqttListener(IPAddress bindAddress, int port, X509Certificate2? certificate, MqttListenerLimits limits, LimitAlerts counters, ILogger logger)
    {
        _bindAddress = bindAddress;
        _port = port;
        _certificate = certificate is null ? null : SslStreamCertificateContext.Create(certificate, null, offline: true);
        _limits = limits;
        _counters = counters;
        _logger = logger;
    }

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>The bound port (after start).</summary>
    public int Port { get; private set; }

    /// <summary>Connections open now.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        _mqttLogger = logger;
        _stop = new CancellationTokenSource();
        _socket = new Socket(_bindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        if (_bindAddress.Equals(IPAddress.IPv6Any))
        {
            _socket.DualMode = true;
        }

        _socket.Bind(new IPEndPoint(_bindAddress, _port));
        _socket.Listen(512);
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        _acceptLoop = Task.Run(() => AcceptLoopAsync(_socket, _stop.Token));
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        // MQTTnet disposes its adapters when the server is disposed; the broker disposes this one too.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop?.Cancel();
        _socket?.Dispose();
        _stop?.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of descriptors or a reset before accept: keep serving the connections there are.
                _logger.LogWarning("Accepting an MQTT connection failed: {Message}", e.Message);
                await Task.Delay(50, stop).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                continue;
            }

            var remote = (IPEndPoint)client.RemoteEndPoint!;
            if (Admit(remote.Address) is { } refused)
            {
                client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                _counters.Count(refused, remote.ToString());
                continue;
            }

            _ = Task.Run(() => ServeAsync(client, remote, stop), CancellationToken.None);
        }
    }

    private ListenerLimit? Admit(IPAddress address)
    {
        lock (_lock)
        {
            if (_open >= _limits.MaxConnections)
            {
                return ListenerLimit.Connections;
            }

            var fromAddress = _perAddress.GetValueOrDefault(address);
            if (fromAddress >= _limits.MaxConnectionsPerAddress)
            {
                return ListenerLimit.ConnectionsPerAddress;
            }

            _perAddress[address] = fromAddress + 1;
            _open++;
            return null;
        }
    }

    private void Leave(IPAddress address)
    {
        lock (_lock)
        {
            _open--;
            if (_perAddress.GetValueOrDefault(address) <= 1)
            {
                _perAddress.Remove(address);
            }
            else
            {
                _perAddress[address]--;
            }
        }
    }

    private async Task ServeAsync(Socket client, IPEndPoint remote, CancellationToken stop)
    {
        Stream? stream = null;
        var accepted = _time.GetUtcNow();
        try
        {
            client.NoDelay = true;
            stream = new NetworkStream(client, ownsSocket: true);
            if (_certificate is not null)
            {
                var tls = await HandshakeAsync(stream, remote, stop).ConfigureAwait(false);
                if (tls is null)
                {
                    return;
                }

                stream = tls;
            }

            var guarded = new PacketSizeGuardStream(stream, _limits.MaxPacketSize, _limits.IdleTimeout, accepted + _limits.HandshakeTimeout, _time, limit => _counters.Count(limit, remote.ToString()));
            stream = guarded;
            using var channel = new MqttTcpChannel(guarded, remote, client.LocalEndPoint!, null);
            using var adapter = new MqttChannelAdapter(channel, new MqttPacketFormatterAdapter(new MqttBufferWriter(4096, 65536)), _mqttLogger) { AllowPacketFragmentation = false };
            if (ClientHandler is { } handler)
            {
                await handler(adapter).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or AuthenticationException)
        {
            _logger.LogDebug("MQTT connection from {Address} ended: {Message}", remote, e.Message);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "MQTT connection from {Address} failed", remote);
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                client.Dispose();
            }

            Leave(remote.Address);
        }
    }

    /// <summary>The server side of TLS 1.2 or 1.3 within the handshake time; null (counted) when it fails.</summary>
    private async Task<SslStream?> HandshakeAsync(Stream stream, IPEndPoint remote, CancellationToken stop)
    {
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(_limits.HandshakeTimeout);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _certificate,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateRequired = false,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, timeout.Token).ConfigureAwait(false);
            return tls;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or SocketException)
        {
            if (!stop.IsCancellationRequested)
            {
                _counters.Count(ListenerLimit.Handshake, remote.ToString());
            }

            await tls.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }
}
