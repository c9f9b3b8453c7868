using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Fakes;

/// <summary>
/// An <see cref="IMqttUplink"/> with no broker: every publish is "acknowledged" into <see cref="Published"/> (and
/// <see cref="MessagePublished"/>) while <see cref="BrokerAvailable"/> is set; it fails while it is not, and for
/// the next <see cref="FailNextPublishes"/> publishes (without an acknowledgement, the session staying up).
/// Records every attempt and connect. Thread-safe.
/// </summary>
public sealed class InMemoryUplink : IMqttUplink
{
    private readonly Lock _lock = new();
    private readonly List<PublishedMessage> _published = [];
    private readonly List<byte[]> _attempts = [];
    private bool _connected;
    private int _connectCalls;
    private int _failNext;

    /// <summary>Raised on the publishing thread for every acknowledged message.</summary>
    public event Action<PublishedMessage>? MessagePublished;

    /// <summary>Whether the pretend broker accepts connections and messages.</summary>
    public bool BrokerAvailable { get; set; } = true;

    /// <summary>Publishes that fail (unacknowledged) before the next one succeeds.</summary>
    public int FailNextPublishes
    {
        get
        {
            lock (_lock)
            {
                return _failNext;
            }
        }

        set
        {
            lock (_lock)
            {
                _failNext = value;
            }
        }
    }

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

    /// <summary>The payload of every publish attempted, acknowledged or not, in order.</summary>
    public IReadOnlyList<byte[]> Attempts
    {
        get
        {
            lock (_lock)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>Connects attempted.</summary>
    public int ConnectCalls
    {
        get
        {
            lock (_lock)
            {
                return _connectCalls;
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
            _connectCalls++;
            _connected = BrokerAvailable;
            return _connected;
        }
    }

    /// <inheritdoc />
    public bool Publish(string topic, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        PublishedMessage message;
        lock (_lock)
        {
            _attempts.Add((byte[])payload.Clone());
            if (!_connected || !BrokerAvailable)
            {
                _connected = false;
                return false;
            }

            if (_failNext > 0)
            {
                _failNext--;
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
