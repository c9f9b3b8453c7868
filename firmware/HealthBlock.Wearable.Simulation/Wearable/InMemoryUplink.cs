using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Simulation.Wearable;

/// <summary>One message an uplink delivered.</summary>
/// <param name="Topic">The MQTT topic.</param>
/// <param name="Payload">The frame bytes.</param>
public sealed record PublishedMessage(string Topic, byte[] Payload);

/// <summary>
/// An <see cref="IMqttUplink"/> with no broker: every publish is "acknowledged" into <see cref="Published"/> (and
/// <see cref="MessagePublished"/>) while <see cref="BrokerAvailable"/> is set, and fails while it is not.
/// For gateway tests that feed frames without a network. Thread-safe.
/// </summary>
public sealed class InMemoryUplink : IMqttUplink
{
    private readonly Lock _lock = new();
    private readonly List<PublishedMessage> _published = [];
    private bool _connected;

    /// <summary>Raised on the publishing thread for every acknowledged message.</summary>
    public event Action<PublishedMessage>? MessagePublished;

    /// <summary>Whether the pretend broker accepts connections and messages.</summary>
    public bool BrokerAvailable { get; set; } = true;

    /// <summary>Everything acknowledged, in order.</summary>
    public IReadOnlyList<PublishedMessage> Published
    {
        get
        {
            lock (_lock)
            {
                return [.. _published];
            }
        }
    }

    /// <inheritdoc />
    public bool IsConnected
    {
        get
        {
            lock (_lock)
            {
                return _connected && BrokerAvailable;
            }
        }
    }

    /// <inheritdoc />
    public bool Connect()
    {
        lock (_lock)
        {
            _connected = BrokerAvailable;
            return _connected;
        }
    }

    /// <inheritdoc />
    public bool Publish(string topic, byte[] payload)
    {
        PublishedMessage message;
        lock (_lock)
        {
            if (!_connected || !BrokerAvailable)
            {
                _connected = false;
                return false;
            }

            message = new PublishedMessage(topic, (byte[])payload.Clone());
            _published.Add(message);
        }

        MessagePublished?.Invoke(message);
        return true;
    }

    /// <inheritdoc />
    public void Disconnect()
    {
        lock (_lock)
        {
            _connected = false;
        }
    }
}
