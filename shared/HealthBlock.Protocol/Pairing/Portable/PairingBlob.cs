// Compiled into the firmware too: nanoFramework core library only (no generics, Span, LINQ or System.Math).
#if !NANOFRAMEWORK_1_0
#nullable disable
#endif
using System;
using HealthBlock.Protocol.Mqtt;

namespace HealthBlock.Protocol.Pairing
{
    /// <summary>
    /// The provisioning blob the gateway prints at pairing (<c>healthblock gateway pair</c>) and the wearable reads
    /// from its flash: one line of ASCII, fields separated by <c>;</c>. One codec for both sides.
    /// </summary>
    /// <remarks>
    /// <code>hbpair2;device=&lt;16 hex&gt;;patient=&lt;id&gt;;key=&lt;64 hex&gt;;broker=&lt;host&gt;:&lt;port&gt;;topic=hb/&lt;patient&gt;/&lt;device&gt;;transport=tls|plaintext[;user=&lt;name&gt;;pass=&lt;password&gt;][;ca=&lt;base64 DER&gt;]</code>
    /// The first field is the literal format tag <c>hbpair2</c>; the named fields follow in any order, each once.
    /// White space around the line is ignored, none is allowed inside. <see cref="ToString"/> prints the canonical
    /// form (the order above, key as lowercase hex). The full rules are in firmware/README.md and the vectors in
    /// firmware/vectors/pairing-blob.json.
    /// </remarks>
    public sealed class PairingBlob
    {
        /// <summary>The format tag of this version.</summary>
        public const string Prefix = "hbpair2";

        /// <summary>The tag of the format before TLS, refused with <see cref="PairingError.OldFormat"/>.</summary>
        public const string OldPrefix = "hbpair1";

        /// <summary>Longest blob accepted, in characters (room for a CA certificate of the largest accepted size).</summary>
        public const int MaxLength = 4096;

        /// <summary>Length of the device key in bytes.</summary>
        public const int KeyLength = 32;

        /// <summary>Longest MQTT user name or password, in characters.</summary>
        public const int MaxCredentialLength = 64;

        /// <summary>Largest CA certificate accepted, in DER bytes.</summary>
        public const int MaxCaCertificateLength = 2048;

        /// <summary>The <c>transport</c> value of a TLS link.</summary>
        public const string TransportTls = "tls";

        /// <summary>The <c>transport</c> value of a plaintext link: never the default, always written out.</summary>
        public const string TransportPlaintext = "plaintext";

        // Field names in canonical order; the first six are required.
        private static readonly string[] FieldNames = { "device", "patient", "key", "broker", "topic", "transport", "user", "pass", "ca" };
        private const int RequiredFields = 6;

        private byte[] _key;

        private PairingBlob()
        {
        }

        /// <summary>The device id.</summary>
        public ulong DeviceId { get; private set; }

        /// <summary>The device id as 16 lowercase hex digits (as in frames and topics).</summary>
        public string DeviceHex { get; private set; }

        /// <summary>The patient id (a topic level).</summary>
        public string Patient { get; private set; }

        /// <summary>Broker host name or address the device dials (IPv6 without brackets).</summary>
        public string BrokerHost { get; private set; }

        /// <summary>Broker TCP port.</summary>
        public int BrokerPort { get; private set; }

        /// <summary>The base topic <c>hb/&lt;patient&gt;/&lt;device&gt;</c>.</summary>
        public string BaseTopic { get; private set; }

        /// <summary>TLS or plaintext, the CA certificate and the MQTT credentials.</summary>
        public UplinkSecurity Security { get; private set; }

        /// <summary>A copy of the 32-byte device key.</summary>
        public byte[] GetKey()
        {
            byte[] copy = new byte[KeyLength];
            Array.Copy(_key, copy, KeyLength);
            return copy;
        }

        /// <summary>Creates a blob from its parts (as the gateway does), checking each like the parser.</summary>
        /// <exception cref="ArgumentException">A part is invalid; the message names the <see cref="PairingError"/>.</exception>
        public static PairingBlob Create(ulong deviceId, string patient, byte[] key, string brokerHost, int brokerPort, UplinkSecurity security)
        {
            if (patient == null || key == null || brokerHost == null || security == null)
            {
                throw new ArgumentNullException(patient == null ? "patient" : key == null ? "key" : brokerHost == null ? "brokerHost" : "security");
            }

            string deviceHex = DeviceTopics.FormatDeviceId(deviceId);
            string text = Format(deviceHex, patient, key, brokerHost, brokerPort, DeviceTopics.Base(patient, deviceHex), security);
            PairingBlob blob;
            PairingError error;
            if (!TryParse(text, out blob, out error))
            {
                throw new ArgumentException("invalid pairing part: " + ErrorName(error));
            }

            return blob;
        }

        /// <summary>Parses a blob; on failure <paramref name="error"/> says why and <paramref name="blob"/> is <c>null</c>.</summary>
        public static bool TryParse(string text, out PairingBlob blob, out PairingError error)
        {
            string[] values;
            error = Split(text, out values);
            blob = error == PairingError.None ? Build(values, out error) : null;
            return error == PairingError.None;
        }

        /// <summary>Parses a blob.</summary>
        /// <exception cref="FormatException">The blob is invalid; the message names the <see cref="PairingError"/>.</exception>
        public static PairingBlob Parse(string text)
        {
            PairingBlob blob;
            PairingError error;
            if (!TryParse(text, out blob, out error))
            {
                throw new FormatException("invalid pairing blob: " + ErrorName(error));
            }

            return blob;
        }

        /// <summary>The name of an error (enum names are not available on the device).</summary>
        public static string ErrorName(PairingError error)
        {
            switch (error)
            {
                case PairingError.None: return "None";
                case PairingError.Empty: return "Empty";
                case PairingError.TooLong: return "TooLong";
                case PairingError.BadCharacter: return "BadCharacter";
                case PairingError.OldFormat: return "OldFormat";
                case PairingError.BadPrefix: return "BadPrefix";
                case PairingError.MalformedField: return "MalformedField";
                case PairingError.UnknownField: return "UnknownField";
                case PairingError.DuplicateField: return "DuplicateField";
                case PairingError.MissingField: return "MissingField";
                case PairingError.BadDeviceId: return "BadDeviceId";
                case PairingError.BadPatient: return "BadPatient";
                case PairingError.BadKey: return "BadKey";
                case PairingError.BadBroker: return "BadBroker";
                case PairingError.BadTopic: return "BadTopic";
                case PairingError.BadTransport: return "BadTransport";
                case PairingError.BadUsername: return "BadUsername";
                case PairingError.BadPassword: return "BadPassword";
                case PairingError.IncompleteCredentials: return "IncompleteCredentials";
                case PairingError.MissingCertificate: return "MissingCertificate";
                case PairingError.UnexpectedCertificate: return "UnexpectedCertificate";
                case PairingError.BadCertificate: return "BadCertificate";
                default: return "Unknown";
            }
        }

        /// <summary>The canonical blob: fields in the documented order, key as lowercase hex.</summary>
        public override string ToString()
        {
            return Format(DeviceHex, Patient, _key, BrokerHost, BrokerPort, BaseTopic, Security);
        }

        private static string Format(string deviceHex, string patient, byte[] key, string host, int port, string topic, UplinkSecurity security)
        {
            string text = Prefix + ";device=" + deviceHex + ";patient=" + patient + ";key=" + PairingText.ToHex(key)
                + ";broker=" + PairingText.FormatBroker(host, port) + ";topic=" + topic
                + ";transport=" + (security.IsPlaintext ? TransportPlaintext : TransportTls);
            if (security.MqttUsername != null)
            {
                text += ";user=" + security.MqttUsername;
            }

            if (security.MqttPassword != null)
            {
                text += ";pass=" + security.MqttPassword;
            }

            byte[] ca = security.GetCaCertificate();
            return ca == null ? text : text + ";ca=" + PairingText.ToBase64(ca);
        }

        // The checks up to the field names: one value per known name (null when absent).
        private static PairingError Split(string text, out string[] values)
        {
            values = new string[FieldNames.Length];
            string line = text == null ? string.Empty : text.Trim();
            if (line.Length == 0)
            {
                return PairingError.Empty;
            }

            if (line.Length > MaxLength)
            {
                return PairingError.TooLong;
            }

            for (int i = 0; i < line.Length; i++)
            {
                if (line[i] <= ' ' || line[i] > '~')
                {
                    return PairingError.BadCharacter;
                }
            }

            string[] fields = line.Split(';');
            if (fields[0] != Prefix)
            {
                return fields[0] == OldPrefix ? PairingError.OldFormat : PairingError.BadPrefix;
            }

            for (int i = 1; i < fields.Length; i++)
            {
                string field = fields[i];
                int eq = field.IndexOf('=');
                if (eq <= 0 || eq == field.Length - 1)
                {
                    return PairingError.MalformedField;
                }

                int index = IndexOfName(field.Substring(0, eq));
                if (index < 0)
                {
                    return PairingError.UnknownField;
                }

                if (values[index] != null)
                {
                    return PairingError.DuplicateField;
                }

                values[index] = field.Substring(eq + 1);
            }

            for (int i = 0; i < RequiredFields; i++)
            {
                if (values[i] == null)
                {
                    return PairingError.MissingField;
                }
            }

            return PairingError.None;
        }

        private static PairingBlob Build(string[] values, out PairingError error)
        {
            string device = values[0];
            string patient = values[1];
            ulong deviceId;
            byte[] key = DecodeKey(values[2]);
            string host = null;
            int port = 0;
            error = !DeviceTopics.TryParseDeviceId(device, out deviceId) ? PairingError.BadDeviceId
                : !DeviceTopics.IsValidPatient(patient) ? PairingError.BadPatient
                : key == null ? PairingError.BadKey
                : !PairingText.TryParseBroker(values[3], out host, out port) ? PairingError.BadBroker
                : values[4] != DeviceTopics.Base(patient, device) ? PairingError.BadTopic
                : PairingError.None;
            UplinkSecurity security = null;
            if (error == PairingError.None)
            {
                error = CheckSecurity(values[5], values[6], values[7], values[8], out security);
            }

            if (error != PairingError.None)
            {
                return null;
            }

            PairingBlob blob = new PairingBlob();
            blob.DeviceId = deviceId;
            blob.DeviceHex = device;
            blob.Patient = patient;
            blob._key = key;
            blob.BrokerHost = host;
            blob.BrokerPort = port;
            blob.BaseTopic = values[4];
            blob.Security = security;
            return blob;
        }

        private static PairingError CheckSecurity(string transport, string user, string pass, string ca, out UplinkSecurity security)
        {
            security = null;
            bool tls = transport == TransportTls;
            if (!tls && transport != TransportPlaintext)
            {
                return PairingError.BadTransport;
            }

            if (user != null && !PairingText.IsUsername(user, MaxCredentialLength))
            {
                return PairingError.BadUsername;
            }

            if (pass != null && !PairingText.IsPassword(pass, MaxCredentialLength))
            {
                return PairingError.BadPassword;
            }

            if ((user == null) != (pass == null))
            {
                return PairingError.IncompleteCredentials;
            }

            if (!tls)
            {
                security = UplinkSecurity.Plaintext(user, pass);
                return ca == null ? PairingError.None : PairingError.UnexpectedCertificate;
            }

            if (ca == null)
            {
                return PairingError.MissingCertificate;
            }

            byte[] der = ca.Length > ((MaxCaCertificateLength + 2) / 3) * 4 ? null : PairingText.FromBase64(ca);
            if (der == null || der.Length > MaxCaCertificateLength || !PairingText.IsDerSequence(der))
            {
                return PairingError.BadCertificate;
            }

            security = UplinkSecurity.Tls(der, user, pass);
            return PairingError.None;
        }

        private static byte[] DecodeKey(string text)
        {
            byte[] key = text.Length == 2 * KeyLength ? PairingText.FromHex(text)
                : text.Length == 44 ? PairingText.FromBase64(text)
                : null;
            return key != null && key.Length == KeyLength ? key : null;
        }

        private static int IndexOfName(string name)
        {
            for (int i = 0; i < FieldNames.Length; i++)
            {
                if (FieldNames[i] == name)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
