namespace HealthBlock.Gateway.Mqtt;

/// <summary>
/// Bounds on the embedded broker's listener, so that no client, and no number of clients from one address, can take the
/// gateway's memory, sockets or journal from the honest devices. Each limit hit is counted and alerted
/// (<see cref="HealthBlock.Alerts.LimitAlerts"/>).
/// </summary>
public sealed record MqttListenerLimits
{
    /// <summary>
    /// Largest MQTT packet accepted, as its remaining length (OASIS MQTT 3.1.1 §2.2.3): just above a PUBLISH of the
    /// largest frame (4,160 bytes, docs/protocol.md §1) with its topic, packet id and MQTT 5 properties. A packet that
    /// announces more is refused from its fixed header, before anything of it is buffered, and the connection closed.
    /// </summary>
    public int MaxPacketSize { get; init; } = 4608;

    /// <summary>Connections open at once on the listener.</summary>
    public int MaxConnections { get; init; } = 512;

    /// <summary>Connections open at once from one source address (a wearable needs one).</summary>
    public int MaxConnectionsPerAddress { get; init; } = 16;

    /// <summary>How long a new connection may take to finish its TLS handshake and its MQTT CONNECT.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a connection may stay without sending a byte (a device pings every 30 s, BrokerConnection.KeepAliveSeconds).
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Publishes per second one client may sustain (a wearable sends a few; a queue it drains after an outage comes in bursts).</summary>
    public int PublishesPerSecond { get; init; } = 50;

    /// <summary>Publishes one client may send at once before the rate applies.</summary>
    public int PublishBurst { get; init; } = 200;

    /// <summary>The smallest interval between two alerts of one kind of limit; hits in between are counted and summarised in the next.</summary>
    public TimeSpan AlertInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks that every bound is positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound is zero or negative.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPacketSize, 64, nameof(MaxPacketSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnections, 1, nameof(MaxConnections));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnectionsPerAddress, 1, nameof(MaxConnectionsPerAddress));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero, nameof(HandshakeTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdleTimeout, TimeSpan.Zero, nameof(IdleTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(PublishesPerSecond, 1, nameof(PublishesPerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThan(PublishBurst, 1, nameof(PublishBurst));
    }
}
