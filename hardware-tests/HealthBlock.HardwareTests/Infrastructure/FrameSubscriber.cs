using System.Collections.Concurrent;
using System.Buffers;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Mqtt;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HealthBlock.HardwareTests.Infrastructure;

/// <summary>A frame a subscriber received, decoded and verified.</summary>
public sealed record ReceivedFrame(string Topic, DeviceFrame Frame);

/// <summary>
/// An MQTT subscriber on <c>hb/#</c> (QoS 1) that decodes every message with the host decoder and verifies its
/// HMAC with the key of its device; anything that fails is kept in <see cref="Rejected"/> with the reason.
/// </summary>
public sealed class FrameSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly IReadOnlyDictionary<ulong, byte[]> _keys;
    private readonly ConcurrentQueue<ReceivedFrame> _frames = new();
    private readonly ConcurrentQueue<string> _rejected = new();
    private readonly string _host;
    private readonly int _port;
    private readonly string _filter;

    private FrameSubscriber(string host, int port, IReadOnlyDictionary<ulong, byte[]> keys, string filter)
    {
        _host = host;
        _port = port;
        _keys = keys;
        _filter = filter;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            OnMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
    }

    public IReadOnlyList<ReceivedFrame> Frames => [.. _frames];

    public IReadOnlyList<string> Rejected => [.. _rejected];

    public static async Task<FrameSubscriber> ConnectAsync(string host, int port, IReadOnlyDictionary<ulong, byte[]> keys, string filter = DeviceTopics.AllFilter)
    {
        var subscriber = new FrameSubscriber(host, port, keys, filter);
        await subscriber.ReconnectAsync();
        return subscriber;
    }

    /// <summary>(Re)connects and subscribes, e.g. after the broker restarted.</summary>
    public async Task ReconnectAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), cts.Token);
        }

        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(_host, _port)
            .WithClientId("hb-test-subscriber-" + Guid.NewGuid().ToString("N")[..8])
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .Build();
        await _client.ConnectAsync(options, cts.Token);
        await _client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(_filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cts.Token);
    }

    /// <summary>Waits (in real time) until <paramref name="condition"/> holds over the frames received; false on timeout.</summary>
    public async Task<bool> WaitForAsync(Func<IReadOnlyList<ReceivedFrame>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(Frames))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), cts.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }

        _client.Dispose();
    }

    private void OnMessage(string topic, byte[] payload)
    {
        try
        {
            var frame = DeviceFrame.Decode(payload);
            if (!_keys.TryGetValue(frame.DeviceId, out var key))
            {
                _rejected.Enqueue($"{topic}: unknown device {frame.DeviceName}");
            }
            else if (!frame.VerifyTag(key))
            {
                _rejected.Enqueue($"{topic}: bad MAC on frame {frame.Sequence}");
            }
            else if (!topic.EndsWith("/" + frame.DeviceName + "/" + SensorKinds.TopicName(frame.Kind), StringComparison.Ordinal))
            {
                _rejected.Enqueue($"{topic}: frame of {frame.DeviceName} kind {frame.Kind} on the wrong topic");
            }
            else
            {
                _frames.Enqueue(new ReceivedFrame(topic, frame));
            }
        }
        catch (ProtocolException e)
        {
            _rejected.Enqueue($"{topic}: {e.Error}: {e.Message}");
        }
    }
}
