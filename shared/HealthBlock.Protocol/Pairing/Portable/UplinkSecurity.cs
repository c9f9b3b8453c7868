// Compiled into the firmware too: nanoFramework core library only (no generics, Span, LINQ or System.Math).
#if !NANOFRAMEWORK_1_0
#nullable disable
#endif
using System;

namespace HealthBlock.Protocol.Pairing
{
    /// <summary>
    /// How a paired wearable reaches its broker: TLS 1.2 against one CA certificate, or — only when said so
    /// explicitly — plaintext; either with or without a per-device MQTT user name and password.
    /// </summary>
    public sealed class UplinkSecurity
    {
        private readonly byte[] _caCertificate;

        private UplinkSecurity(bool plaintext, byte[] caCertificate, string username, string password)
        {
            IsPlaintext = plaintext;
            _caCertificate = caCertificate;
            MqttUsername = username;
            MqttPassword = password;
        }

        /// <summary>True for a plaintext TCP link (frames stay authenticated by their HMAC, but are readable on the network).</summary>
        public bool IsPlaintext { get; private set; }

        /// <summary>The MQTT user name, or null when the broker takes none.</summary>
        public string MqttUsername { get; private set; }

        /// <summary>The MQTT password, or null when the broker takes none.</summary>
        public string MqttPassword { get; private set; }

        /// <summary>True when a user name and password are given.</summary>
        public bool HasCredentials
        {
            get { return MqttUsername != null; }
        }

        /// <summary>A plaintext link; <paramref name="username"/> and <paramref name="password"/> both null or both set.</summary>
        public static UplinkSecurity Plaintext(string username, string password)
        {
            return new UplinkSecurity(true, null, username, password);
        }

        /// <summary>
        /// A TLS link that trusts exactly <paramref name="caCertificateDer"/> (an X.509 certificate in DER);
        /// <paramref name="username"/> and <paramref name="password"/> both null or both set.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="caCertificateDer"/> is null.</exception>
        public static UplinkSecurity Tls(byte[] caCertificateDer, string username, string password)
        {
            if (caCertificateDer == null)
            {
                throw new ArgumentNullException("caCertificateDer");
            }

            byte[] copy = new byte[caCertificateDer.Length];
            Array.Copy(caCertificateDer, copy, copy.Length);
            return new UplinkSecurity(false, copy, username, password);
        }

        /// <summary>A copy of the CA certificate (DER) the device trusts, or null for a plaintext link.</summary>
        public byte[] GetCaCertificate()
        {
            if (_caCertificate == null)
            {
                return null;
            }

            byte[] copy = new byte[_caCertificate.Length];
            Array.Copy(_caCertificate, copy, copy.Length);
            return copy;
        }
    }
}
