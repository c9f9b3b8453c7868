// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using System;
using HealthBlock.Protocol.Pairing;

namespace HealthBlock.Wearable.Uplink
{
    /// <summary>
    /// Everything the MQTT adapter needs to open a session, decided from the pairing blob: where to dial, TLS 1.2
    /// against the blob's CA certificate or (only when the blob says <c>transport=plaintext</c>) plain TCP, the
    /// per-device credentials, the client id and the keep-alive. The device adapter (M2MqttUplink) only maps these
    /// onto M2Mqtt's <c>MqttClient</c> constructor and <c>Connect</c>.
    /// </summary>
    public sealed class BrokerConnection
    {
        /// <summary>Prefix of the MQTT client id; the device id follows.</summary>
        public const string ClientIdPrefix = "hb-";

        /// <summary>
        /// Longest client id every MQTT 3.1.1 server must accept (OASIS MQTT 3.1.1 §3.1.3.1: 1 to 23 characters).
        /// </summary>
        public const int MaxPortableClientIdLength = 23;

        /// <summary>Keep-alive in seconds: the broker drops the session after 1.5× this without a packet (§3.1.2.10).</summary>
        public const ushort KeepAliveSeconds = 30;

        private readonly UplinkSecurity _security;

        private BrokerConnection(PairingBlob pairing)
        {
            _security = pairing.Security;
            Host = pairing.BrokerHost;
            Port = pairing.BrokerPort;
            ClientId = ClientIdPrefix + pairing.DeviceHex;
        }

        /// <summary>Broker host name or address.</summary>
        public string Host { get; private set; }

        /// <summary>Broker TCP port.</summary>
        public int Port { get; private set; }

        /// <summary>The MQTT client id, <c>hb-&lt;16 hex&gt;</c> (19 characters).</summary>
        public string ClientId { get; private set; }

        /// <summary>True: TLS 1.2, the server authenticated against <see cref="GetCaCertificate"/>. False: plain TCP.</summary>
        public bool UseTls
        {
            get { return !_security.IsPlaintext; }
        }

        /// <summary>MQTT user name, or null when the broker takes none.</summary>
        public string Username
        {
            get { return _security.MqttUsername; }
        }

        /// <summary>MQTT password, or null when the broker takes none.</summary>
        public string Password
        {
            get { return _security.MqttPassword; }
        }

        /// <summary>The session settings of a pairing.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="pairing"/> is null.</exception>
        public static BrokerConnection FromPairing(PairingBlob pairing)
        {
            if (pairing == null)
            {
                throw new ArgumentNullException("pairing");
            }

            return new BrokerConnection(pairing);
        }

        /// <summary>A copy of the CA certificate (DER) the server must chain to; null for plain TCP.</summary>
        public byte[] GetCaCertificate()
        {
            return _security.GetCaCertificate();
        }
    }
}
