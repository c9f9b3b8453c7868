using System.Buffers;
using System.Threading.Channels;
using HealthBlock.Gateway.Ingest;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;

namespace HealthBlock.Gateway.Mqtt;

/// <summary>
/// Ingest through an external broker (Mosquitto or any MQTT 3.1.1/5 broker). The gateway subscribes to
/// <c>hb/&lt;patient&gt;/+/+</c> with QoS 1 in a persistent session (clean start off, session kept for a week) and
/// acknowledges each message manually, only after the journal has made the frame durable; what the broker has not
/// seen acknowledged it keeps and redelivers. Acknowledgements go out in arrival order (MQTT requires it) while
/// ingest runs ahead of them, so journal group commits are not serialised behind the network round trip.
/// The device's own acknowledgement comes from the broker: the broker's persistence and queue limits decide what
/// survives before the gateway sees it (see docs/gateway.md for the Mosquitto settings this needs).
/// </summary>
public sealed class ExternalBrokerIngest : IAsyncDisposable
{
    private readonly FrameIngestor _ingestor;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly string _filter;
    private readonly TimeProvider _time;
    private readonly Channel<(Task<FrameIngestResult> Ingest, MqttApplicationMessageReceivedEventArgs Message)> _acks =
        Channel.CreateBounded<(Task<FrameIngestResult>, MqttApplicationMessageReceivedEventArgs)>(new BoundedChannelOptions(4096) { SingleReader = true });

    private readonly CancellationTokenSource _stop = new();
    private Task? _ackLoop;
    private Task? _reconnectLoop;

    /// <summary>Creates the subscriber; call <see cref="StartAsync"/>.</summary>
    /// <param name="ingestor">Where frames go.</param>
    /// <param name="link">The broker and how to reach it (TLS and login, or the plaintext opt-out).</param>
    /// <param name="patient">The patient whose topics to subscribe.</param>
    /// <param name="clientId">A stable client id (the persistent session is keyed by it).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="time">The clock of the reconnect backoff.</param>
    public ExternalBrokerIngest(FrameIngestor ingestor, ExternalBrokerLink link, string patient, string clientId, ILogger logger, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(link);
        Broker = link.Broker.GetLeftPart(UriPartial.Authority);
        _ingestor = ingestor;
        _logger = logger;
        _filter = FrameIngestor.TopicFilter(patient);
        _client = new MqttClientFactory().CreateMqttClient();
        _options = link.Configure(new MqttClientOptionsBuilder())
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(7 * 24 * 3600)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .Build();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>The broker's URL (scheme, host and port).</summary>
    public string Broker { get; }

    /// <summary>The connected client (the live path may publish through it).</summary>
    public IMqttClient Client => _client;

    /// <summary>True while connected to the broker.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>
    /// Connects, subscribes, and keeps reconnecting with backoff until disposed. A broker that cannot be reached or
    /// refuses the login at start is logged and retried like a lost connection (the gateway may start before Mosquitto,
    /// which reads the files the gateway writes); <see cref="IsConnected"/> says when it is served.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _ackLoop = Task.Run(AcknowledgeLoopAsync);
        try
        {
            await ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectFailure(e))
        {
            _logger.LogWarning("Broker not reachable at start ({Message}); retrying", e.Message);
        }

        _reconnectLoop = Task.Run(ReconnectLoopAsync);
    }

    private static bool IsConnectFailure(Exception e) =>
        e is MqttCommunicationException or InvalidOperationException or System.Net.Sockets.SocketException or IOException or System.Security.Authentication.AuthenticationException;

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var result = await _client.ConnectAsync(_options, cancellationToken).ConfigureAwait(false);
        if (!result.IsSessionPresent)
        {
            var subscribe = new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic(_filter).WithAtLeastOnceQoS())
                .Build();
            await _client.SubscribeAsync(subscribe, cancellationToken).ConfigureAwait(false);
        }

        _logger.LogInformation("Subscribed to {Filter} (session present: {Present})", _filter, result.IsSessionPresent);
    }

    private async Task ReconnectLoopAsync()
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), _time, _stop.Token).ConfigureAwait(false);
                if (_client.IsConnected)
                {
                    delay = TimeSpan.FromMilliseconds(200);
                    continue;
                }

                await Task.Delay(delay, _time, _stop.Token).ConfigureAwait(false);
                await ConnectAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (IsConnectFailure(e))
            {
                _logger.LogWarning("Broker unreachable ({Message}); retrying in {Delay}", e.Message, delay);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10_000));
            }
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        var payload = e.ApplicationMessage.Payload;
        var bytes = payload.IsSingleSegment ? payload.First : payload.ToArray();
        var ingest = _ingestor.IngestAsync(e.ApplicationMessage.Topic, bytes, new FrameSource(e.ClientId, "via broker"), _stop.Token);
        await _acks.Writer.WriteAsync((ingest, e), _stop.Token).ConfigureAwait(false);
    }

    private async Task AcknowledgeLoopAsync()
    {
        await foreach (var (ingest, message) in _acks.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                var result = await ingest.ConfigureAwait(false);
                if (result.Reason == FrameRejection.JournalUnavailable)
                {
                    // Not durable: leave it unacknowledged and drop the connection, so the broker redelivers it.
                    message.ProcessingFailed = true;
                    await _client.DisconnectAsync().ConfigureAwait(false);
                    continue;
                }

                await message.AcknowledgeAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is MqttCommunicationException or InvalidOperationException)
            {
                // The connection dropped before the ack went out: the broker redelivers, the journal sees a duplicate.
                _logger.LogInformation("Acknowledgement lost with the connection ({Message}); the broker will redeliver", e.Message);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _acks.Writer.TryComplete();
        if (_reconnectLoop is not null)
        {
            await _reconnectLoop.ConfigureAwait(false);
        }

        if (_ackLoop is not null)
        {
            await _ackLoop.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        if (_client.IsConnected)
        {
            await _client.DisconnectAsync().ConfigureAwait(false);
        }

        _client.Dispose();
        _stop.Dispose();
    }
}
