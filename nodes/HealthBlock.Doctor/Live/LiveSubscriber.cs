using System.Buffers;
using System.Security.Authentication;
using HealthBlock.Crypto;
using HealthBlock.Crypto.Tls;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;
using HealthBlock.Protocol.Content;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HealthBlock.Doctor.Live;

/// <summary>
/// Subscribes with QoS 0 to <c>hb/live/&lt;patient&gt;</c> of every patient this doctor serves (the list is read again every
/// <see cref="LiveAlarmOptions.SubscriptionRefresh"/>: a grant adds a topic, a revocation removes it) on the live broker,
/// and hands each message to <see cref="LiveMonitor"/>. QoS 0 because the chain path guarantees delivery: a message lost
/// while the broker or the node is away is caught up from the committed period bundle. It reconnects with a clean
/// session and subscribes again after a disconnect.
/// </summary>
internal sealed class LiveSubscriber(DoctorDatabase db, LiveMonitor monitor, LiveAlarmOptions options, string clientId, BackgroundWork work, ILogger log) : IDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly HashSet<IdentityId> _subscribed = [];

    /// <summary>True while connected to the live broker.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Topics subscribed now.</summary>
    public int Subscriptions => _subscribed.Count;

    /// <summary>Connects, subscribes and keeps the subscriptions current until the node stops.</summary>
    public async Task RunAsync()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            if (LiveTopic.PatientOf(e.ApplicationMessage.Topic) is { } patient)
            {
                monitor.ReceiveLive(patient, e.ApplicationMessage.Payload.ToArray());
            }

            return Task.CompletedTask;
        };
        var mqtt = Link(new MqttClientOptionsBuilder())
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .Build();
        while (!work.IsStopping)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    _subscribed.Clear();
                    await _client.ConnectAsync(mqtt, work.Stopping).ConfigureAwait(false);
                    log.LogInformation("Connected to the live broker {Broker}", options.Broker);
                }

                await RefreshAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (work.IsStopping)
            {
                break;
            }
            catch (Exception e) when (e is MqttCommunicationException or InvalidOperationException or System.Net.Sockets.SocketException or OperationCanceledException)
            {
                log.LogWarning("Live broker {Broker}: {Message}; the chain path carries on", options.Broker, e.Message);
            }

            if (!await work.DelayAsync(options.SubscriptionRefresh).ConfigureAwait(false))
            {
                break;
            }
        }

        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task RefreshAsync()
    {
        var served = db.Patients.Served().ToHashSet();
        var added = served.Except(_subscribed).ToList();
        var removed = _subscribed.Except(served).ToList();
        foreach (var chunk in added.Chunk(100))
        {
            var subscribe = new MqttClientSubscribeOptionsBuilder();
            foreach (var p in chunk)
            {
                subscribe.WithTopicFilter(LiveTopic.For(p), MqttQualityOfServiceLevel.AtMostOnce);
            }

            await _client.SubscribeAsync(subscribe.Build(), work.Stopping).ConfigureAwait(false);
            _subscribed.UnionWith(chunk);
        }

        foreach (var chunk in removed.Chunk(100))
        {
            var unsubscribe = new MqttClientUnsubscribeOptionsBuilder();
            foreach (var p in chunk)
            {
                unsubscribe.WithTopicFilter(LiveTopic.For(p));
            }

            await _client.UnsubscribeAsync(unsubscribe.Build(), work.Stopping).ConfigureAwait(false);
            _subscribed.ExceptWith(chunk);
        }
    }

    /// <summary>
    /// The broker's address, and for <c>mqtts://</c> TLS 1.2 or 1.3 whose server certificate must chain to
    /// <see cref="LiveAlarmOptions.BrokerAuthority"/> alone and name the host dialled (<see cref="CaTrust"/>).
    /// </summary>
    private MqttClientOptionsBuilder Link(MqttClientOptionsBuilder builder)
    {
        var broker = options.Broker;
        var port = broker.IsDefaultPort || broker.Port <= 0 ? (options.BrokerTls ? 8883 : 1883) : broker.Port;
        builder = builder.WithTcpServer(broker.Host, port);
        if (!options.BrokerTls)
        {
            return builder;
        }

        var authority = options.BrokerAuthority ?? throw new ArgumentException($"Live broker {broker} is mqtts:// but no CA was given to validate it against.");
        return builder.WithTlsOptions(o => o
            .UseTls()
            .WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13)
            .WithTargetHost(broker.Host)
            .WithCertificateValidationHandler(e => CaTrust.Chains(authority, e.Certificate, e.SslPolicyErrors)));
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
