using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HealthBlock.Gateway.Live;

/// <summary>
/// Publishes live sub-batches with QoS 0 through an MQTT client: either a client the gateway already has (its
/// external-broker subscription) or one of its own to a separate broker, connected when needed and at most once every
/// <see cref="ReconnectDelay"/> while the broker is away. A message the broker cannot take is dropped: the period's IoT
/// transaction still commits it and the doctors catch up from the chain.
/// </summary>
public sealed class MqttLivePublisher : ILivePublisher, IDisposable
{
    /// <summary>Least time between two connection attempts of an owned client.</summary>
    public static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    private readonly IMqttClient _client;
    private readonly MqttClientOptions? _options;
    private readonly bool _owns;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _connect = new(1, 1);
    private long _lastAttempt = long.MinValue;

    /// <summary>Publishes through <paramref name="client"/>, which someone else connects and disposes.</summary>
    public MqttLivePublisher(IMqttClient client, ILogger logger, TimeProvider? time = null)
    {
        _client = client;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Publishes through a client of its own over <paramref name="broker"/> (TLS against its CA, or plaintext).</summary>
    public MqttLivePublisher(Mqtt.ExternalBrokerLink broker, string clientId, ILogger logger, TimeProvider? time = null)
        : this(new MqttClientFactory().CreateMqttClient(), logger, time)
    {
        ArgumentNullException.ThrowIfNull(broker);
        _owns = true;
        _options = broker.Configure(new MqttClientOptionsBuilder())
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .Build();
    }

    /// <inheritdoc />
    public async Task<bool> PublishAsync(string topic, byte[] sealedBatch, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected && !await TryConnectAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(sealedBatch).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce).Build();
        try
        {
            var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            return result.IsSuccess;
        }
        catch (Exception e) when (e is MqttCommunicationException or InvalidOperationException)
        {
            _logger.LogDebug("Live sub-batch on {Topic} dropped: {Message}", topic, e.Message);
            return false;
        }
    }

    private async Task<bool> TryConnectAsync(CancellationToken cancellationToken)
    {
        if (_options is null)
        {
            return false;
        }

        await _connect.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetTimestamp();
            if (_client.IsConnected || (_lastAttempt != long.MinValue && _time.GetElapsedTime(_lastAttempt, now) < ReconnectDelay))
            {
                return _client.IsConnected;
            }

            _lastAttempt = now;
            await _client.ConnectAsync(_options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is MqttCommunicationException or InvalidOperationException or System.Net.Sockets.SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Live broker unreachable ({Message}); live sub-batches wait for the chain", e.Message);
            return false;
        }
        finally
        {
            _connect.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_owns)
        {
            _client.Dispose();
        }

        _connect.Dispose();
    }
}
