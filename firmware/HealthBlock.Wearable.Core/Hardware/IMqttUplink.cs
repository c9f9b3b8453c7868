// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Hardware
{
    /// <summary>
    /// The MQTT connection to the gateway's broker. Calls come from one thread (the uplink loop) and may block
    /// for up to the adapter's timeouts.
    /// </summary>
    public interface IMqttUplink
    {
        /// <summary>Whether the adapter believes the session is up (a broker may still drop it at any time).</summary>
        bool IsConnected { get; }

        /// <summary>Opens a session (bringing the network up first if needed). Returns <c>false</c> on any failure.</summary>
        bool Connect();

        /// <summary>
        /// Publishes <paramref name="payload"/> with QoS 1 and returns <c>true</c> only once the broker acknowledged
        /// it (PUBACK). <c>false</c> means the message may or may not have arrived; the caller keeps it and sends
        /// the same bytes again after reconnecting (the gateway drops a repeated sequence number).
        /// </summary>
        bool Publish(string topic, byte[] payload);

        /// <summary>Closes the session; never throws.</summary>
        void Disconnect();
    }
}
