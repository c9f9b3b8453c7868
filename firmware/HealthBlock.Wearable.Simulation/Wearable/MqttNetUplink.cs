using HealthBlock.Protocol.Pairing;
using HealthBlock.Wearable.Hardware;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HealthBlock.Wearable.Simulation.Wearable;

/// <summary>
/// The firmware core's <see cref="IMqttUplink"/> over an MQTTnet 5 client: MQTT 3.1.1 (what the device's M2Mqtt
/// speaks), clean session, QoS 1 publishes that count only once the broker's PUBACK arrived.
/// </summary>
/// <remarks>
/// The core's uplink interface is synchronous (the device has no async); each call here runs the MQTTnet
/// operation on the thread pool and waits for it with <see cref="Timeout"/>, so it is safe from any thread,
/// including a test's synchronisation context. Calls must not overlap (the core makes them from one loop).
/// </remarks>
public sealed class MqttNetUplink : IMqttUplink, IDisposable
{
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;

    /// <summary>
    /// Creates an uplink to <paramref name="host"/>:<paramref name="port"/> as <paramref name="clientId"/>, over TLS against
    /// the pairing's CA and with its credentials when <paramref name="security"/> says so (<see cref="DeviceTlsOptions"/>).
    /// </summary>
    public MqttNetUplink(string host, int port, string clientId, UplinkSecurity? security = null, TimeSpan? timeout = null)
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(10);
        var factory = new MqttClientFactory();
        _client = factory.CreateMqttClient();
        _options = DeviceTlsOptions.Builder(host, port, clientId, security)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithCleanSession()
            .WithTimeout(Timeout)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .Build();
    }

    /// <summary>How long one connect or publish may take.</summary>
    public TimeSpan Timeout { get; }

    /// <inheritdoc />
    public bool IsConnected => _client.IsConnected;

    /// <inheritdoc />
    public bool Connect()
    {
        try
        {
            var result = Run(ct => _client.ConnectAsync(_options, ct));
            return result.ResultCode == MqttClientConnectResultCode.Success;
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public bool Publish(string topic, byte[] payload)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        try
        {
            return Run(ct => _client.PublishAsync(message, ct)).IsSuccess;
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Disconnect()
    {
        try
        {
            if (_client.IsConnected)
            {
                Run(async ct =>
                {
                    await _client.DisconnectAsync(new MqttClientDisconnectOptions(), ct).ConfigureAwait(false);
                    return true;
                });
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException or IOException)
        {
            // Already gone.
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Disconnect();
        _client.Dispose();
    }

    private T Run<T>(Func<CancellationToken, Task<T>> operation)
    {
        using var cts = new CancellationTokenSource(Timeout);
        return Task.Run(() => operation(cts.Token), cts.Token).GetAwaiter().GetResult();
    }
}
