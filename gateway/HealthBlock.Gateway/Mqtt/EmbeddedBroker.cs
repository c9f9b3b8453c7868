using System.Buffers;
using System.Net;
using HealthBlock.Gateway.Ingest;
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
/// and the device keeps the frame and retries.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private const string AddressItem = "hb.address";
    private readonly MqttServer _server;
    private readonly MqttServerOptions _options;
    private readonly FrameIngestor _ingestor;
    private readonly ILogger _logger;

    /// <summary>Creates the broker; call <see cref="StartAsync"/>.</summary>
    /// <param name="ingestor">Where frames go.</param>
    /// <param name="port">TCP port (0 = chosen by the OS; read <see cref="Port"/> after start).</param>
    /// <param name="bindAddress">Address to bind (default: all interfaces, as a Pi serving wearables needs).</param>
    /// <param name="logger">Logger.</param>
    public EmbeddedBroker(FrameIngestor ingestor, int port, IPAddress? bindAddress, ILogger logger)
    {
        _ingestor = ingestor;
        _logger = logger;
        var factory = new MqttServerFactory();
        _options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(port)
            .WithDefaultEndpointBoundIPAddress(bindAddress ?? IPAddress.Any)
            .Build();
        _server = factory.CreateMqttServer(_options);
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
            return Task.CompletedTask;
        };
    }

    /// <summary>The TCP port the broker listens on (valid after start).</summary>
    public int Port => _options.DefaultEndpointOptions.Port;

    /// <summary>
    /// Starts listening. The port is bound without address reuse, so a second gateway on the same port fails here
    /// instead of sharing it.
    /// </summary>
    /// <exception cref="HealthBlock.Hosting.StartupFailedException">The address is in use (the message names it).</exception>
    public Task StartAsync() => HealthBlock.Hosting.ListenAddresses.StartOrExplainAsync(_server.StartAsync, "--mqtt-listen", $"{_options.DefaultEndpointOptions.BoundInterNetworkAddress}:{_options.DefaultEndpointOptions.Port}");

    /// <summary>Stops listening and disconnects every client.</summary>
    public Task StopAsync() => _server.StopAsync();

    private Task OnValidatingConnection(ValidatingConnectionEventArgs e)
    {
        if (string.IsNullOrEmpty(e.ClientId) || e.ClientId.Length > 128)
        {
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            return Task.CompletedTask;
        }

        e.SessionItems[AddressItem] = e.RemoteEndPoint?.ToString();
        return Task.CompletedTask;
    }

    private static Task OnSubscription(InterceptingSubscriptionEventArgs e)
    {
        // Frames are never forwarded: nothing to subscribe to on the gateway's own broker.
        e.ProcessSubscription = false;
        e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        return Task.CompletedTask;
    }

    private async Task OnPublish(InterceptingPublishEventArgs e)
    {
        e.ProcessPublish = false;
        var address = e.SessionItems[AddressItem] as string;
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
    }
}
