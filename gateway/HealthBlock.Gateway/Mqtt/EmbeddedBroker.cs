using System.Buffers;
using System.Net;
using HealthBlock.Gateway.Ingest;
using HealthBlock.Gateway.Live;
using HealthBlock.Protocol.Content;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace HealthBlock.Gateway.Mqtt;

/// <summary>
/// The MQTT broker hosted inside the gateway (MQTTnet.Server), so wearables connect straight to the Pi.
/// Every PUBLISH goes through <see cref="FrameIngestor"/> inside MQTTnet's publish interceptor, which MQTTnet awaits
/// before it queues the PUBACK: a device's QoS 1 frame is acknowledged only after the journal has made it durable.
/// Frames are consumed here and never forwarded (<c>ProcessPublish = false</c>), so no subscriber queue can overflow
/// and drop acknowledged messages. A refused frame gets a PUBACK with a v5 reason code (not authorised or
/// payload format invalid), so the device does not resend it forever; a journal failure gets "unspecified error"
/// and the device keeps the frame and retries. The broker listens through <see cref="GuardedMqttListener"/> (TLS unless
/// plaintext was asked for, connection limits, packet size, idle time); a CONNECT must carry a paired device's user name
/// and password; each client's publishes are rate-limited (<see cref="PublishRateLimiter"/>).
/// It is also the live path's broker when the gateway publishes there (<see cref="ILivePublisher"/>): the gateway injects
/// each sealed sub-batch on <c>hb/live/&lt;patient&gt;</c> with QoS 0, and subscriptions to <c>hb/live/…</c> (only) are
/// served; no client may publish there or take the gateway's own sender id.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable, ILivePublisher
{
    private const string AddressItem = "hb.address";
    private const string LiveSender = "hb-gateway-live";
    private readonly MqttServer _server;
    private readonly GuardedMqttListener _listener;
    private readonly BrokerGuards _guards;
    private readonly PublishRateLimiter _rates;
    private readonly FrameIngestor _ingestor;
    private readonly ILogger _logger;
    private readonly string _address;

    /// <summary>Creates the broker; call <see cref="StartAsync"/>.</summary>
    /// <param name="ingestor">Where frames go.</param>
    /// <param name="port">TCP port (0 = chosen by the OS; read <see cref="Port"/> after start).</param>
    /// <param name="bindAddress">Address to bind (default: all interfaces, as a Pi serving wearables needs).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="guards">TLS, logins and the listener's bounds.</param>
    public EmbeddedBroker(FrameIngestor ingestor, int port, IPAddress? bindAddress, ILogger logger, BrokerGuards guards)
    {
        ArgumentNullException.ThrowIfNull(guards);
        guards.Limits.Validate();
        _ingestor = ingestor;
        _logger = logger;
        _guards = guards;
        _rates = new PublishRateLimiter(guards.Limits);
        _address = $"{bindAddress ?? IPAddress.Any}:{port}";
        _listener = new GuardedMqttListener(bindAddress ?? IPAddress.Any, port, guards.Certificate, guards.Limits, guards.Counters, logger);
        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder()
            .WithoutDefaultEndpoint()
            // The listener's guard closes a connection without a CONNECT at the handshake time; MQTTnet's own wait is longer.
            .WithDefaultCommunicationTimeout(guards.Limits.HandshakeTimeout + TimeSpan.FromSeconds(5))
            .Build();
        _server = factory.CreateMqttServer(options, [_listener]);
        _server.ValidatingConnectionAsync += OnValidatingConnection;
        _server.InterceptingPublishAsync += OnPublish;
        _server.InterceptingSubscriptionAsync += OnSubscription;
        _server.ClientConnectedAsync += e =>
        {
            GatewayMetrics.DeviceConnection(+1);
            _logger.LogInformation("Device client {Client} connected from {Address}", e.ClientId, e.RemoteEndPoint);
            return Task.CompletedTask;
        };
        _server.ClientDisconnectedAsync += e =>
        {
            GatewayMetrics.DeviceConnection(-1);
            _logger.LogInformation("Device client {Client} disconnected ({Reason})", e.ClientId, e.DisconnectType);
            _rates.Forget(e.ClientId);
            return Task.CompletedTask;
        };
    }

    /// <summary>The TCP port the broker listens on (valid after start).</summary>
    public int Port => _listener.Port;

    /// <summary>True when the listener speaks TLS.</summary>
    public bool Encrypted => _guards.Certificate is not null;

    /// <summary>Connections open now.</summary>
    public int OpenConnections => _listener.OpenConnections;

    /// <summary>
    /// Starts listening. The port is bound without address reuse, so a second gateway on the same port fails here
    /// instead of sharing it.
    /// </summary>
    /// <exception cref="HealthBlock.Hosting.StartupFailedException">The address is in use (the message names it).</exception>
    public Task StartAsync() => HealthBlock.Hosting.ListenAddresses.StartOrExplainAsync(_server.StartAsync, "--mqtt-listen", _address);

    /// <summary>Stops listening and disconnects every client.</summary>
    public Task StopAsync() => _server.StopAsync();

    private Task OnValidatingConnection(ValidatingConnectionEventArgs e)
    {
        if (string.IsNullOrEmpty(e.ClientId) || e.ClientId.Length > 128 || e.ClientId == LiveSender)
        {
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            return Task.CompletedTask;
        }

        if (!_guards.Login(e.UserName, e.Password))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            _guards.Counters.Count(ListenerLimit.BadCredentials, e.RemoteEndPoint?.ToString(), e.ClientId);
            return Task.CompletedTask;
        }

        e.SessionItems[AddressItem] = e.RemoteEndPoint?.ToString();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<bool> PublishAsync(string topic, byte[] sealedBatch, CancellationToken cancellationToken)
    {
        var message = new MQTTnet.MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(sealedBatch).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce).Build();
        await _server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = LiveSender }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static Task OnSubscription(InterceptingSubscriptionEventArgs e)
    {
        if (e.TopicFilter.Topic.StartsWith(LiveTopic.Prefix, StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }

        // Frames are never forwarded: nothing else to subscribe to on the gateway's own broker.
        e.ProcessSubscription = false;
        e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        return Task.CompletedTask;
    }

    private async Task OnPublish(InterceptingPublishEventArgs e)
    {
        if (e.ClientId == LiveSender && e.ApplicationMessage.Topic.StartsWith(LiveTopic.Prefix, StringComparison.Ordinal))
        {
            return;
        }

        e.ProcessPublish = false;
        var address = e.SessionItems[AddressItem] as string;
        var (admitted, limited) = await _rates.AcquireAsync(e.ClientId, e.CancellationToken).ConfigureAwait(false);
        if (limited)
        {
            _guards.Counters.Count(ListenerLimit.PublishRate, address, e.ClientId);
        }

        if (!admitted)
        {
            // Too many publishes waiting: not acknowledged; the client resends after it reconnects.
            e.CloseConnection = true;
            return;
        }

        var payload = e.ApplicationMessage.Payload;
        var bytes = payload.IsSingleSegment ? payload.First : payload.ToArray();
        try
        {
            var result = await _ingestor.IngestAsync(e.ApplicationMessage.Topic, bytes, new FrameSource(e.ClientId, address), e.CancellationToken).ConfigureAwait(false);
            e.Response.ReasonCode = result switch
            {
                { Accepted: true } => MqttPubAckReasonCode.Success,
                { Reason: FrameRejection.JournalUnavailable } => MqttPubAckReasonCode.UnspecifiedError,
                { Reason: FrameRejection.MalformedFrame or FrameRejection.MalformedTopic } => MqttPubAckReasonCode.PayloadFormatInvalid,
                { Reason: FrameRejection.TopicMismatch or FrameRejection.WrongPatient } => MqttPubAckReasonCode.TopicNameInvalid,
                _ => MqttPubAckReasonCode.NotAuthorized,
            };
            e.Response.ReasonString = result.Detail;
            if (result.Reason == FrameRejection.JournalUnavailable)
            {
                // An MQTT 3.1.1 device cannot read reason codes: close its connection so that it resends.
                e.CloseConnection = true;
            }
        }
        catch (OperationCanceledException)
        {
            e.CloseConnection = true;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Ingest of a frame from {Client} failed unexpectedly; not acknowledged", e.ClientId);
            e.CloseConnection = true;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync().ConfigureAwait(false);
        _server.Dispose();
        _listener.Dispose();
        _rates.Dispose();
    }
}
