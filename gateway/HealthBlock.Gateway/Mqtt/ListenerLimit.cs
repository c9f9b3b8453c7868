namespace HealthBlock.Gateway.Mqtt;

/// <summary>A bound of the broker's listener that a client hit.</summary>
public enum ListenerLimit
{
    /// <summary>The listener had <see cref="MqttListenerLimits.MaxConnections"/> open: the connection was closed at once.</summary>
    Connections,

    /// <summary>The address had <see cref="MqttListenerLimits.MaxConnectionsPerAddress"/> open: the connection was closed at once.</summary>
    ConnectionsPerAddress,

    /// <summary>The TLS handshake or the MQTT CONNECT failed or did not finish in time.</summary>
    Handshake,

    /// <summary>A packet announced more than <see cref="MqttListenerLimits.MaxPacketSize"/>: refused from its header, connection closed.</summary>
    PacketTooLarge,

    /// <summary>Nothing came for <see cref="MqttListenerLimits.IdleTimeout"/>: connection closed.</summary>
    Idle,

    /// <summary>A client published faster than its rate: its publishes wait, and beyond a short queue it is disconnected.</summary>
    PublishRate,

    /// <summary>A CONNECT with an unknown user name, a wrong password, or none.</summary>
    BadCredentials,
}
