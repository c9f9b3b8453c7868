// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using System;
using HealthBlock.Wearable.Uplink;

namespace HealthBlock.Wearable.Pairing
{
    /// <summary>
    /// The provisioning blob the gateway prints at pairing (<c>healthblock gateway pair</c>) and the wearable reads
    /// from its flash: one line of ASCII, fields separated by <c>;</c>.
    /// </summary>
    /// <remarks>
    /// <code>hbpair1;device=&lt;16 hex&gt;;patient=&lt;id&gt;;key=&lt;64 hex&gt;;broker=&lt;host&gt;:&lt;port&gt;;topic=hb/&lt;patient&gt;/&lt;device&gt;</code>
    /// The first field is the literal format tag <c>hbpair1</c>; the five named fields follow in any order, each once.
    /// White space around the line is ignored, none is allowed inside. <see cref="ToString"/> prints the canonical
    /// form (the order above, key as lowercase hex). The full rules are in firmware/README.md and the vectors in
    /// firmware/vectors/pairing-blob.json.
    /// </remarks>
    public sealed class PairingBlob
    {
        /// <summary>The format tag of this version.</summary>
        public const string Prefix = "hbpair1";

        /// <summary>Longest blob accepted, in characters.</summary>
        public const int MaxLength = 512;

        /// <summary>Length of the device key in bytes.</summary>
        public const int KeyLength = 32;

        /// <summary>Longest patient id.</summary>
        public const int MaxPatientLength = 64;

        private const string Hex = "0123456789abcdef";
        private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

        private byte[] _key;

        private PairingBlob()
        {
        }

        /// <summary>The device id.</summary>
        public ulong DeviceId { get; private set; }

        /// <summary>The device id as 16 lowercase hex digits (as in topics).</summary>
        public string DeviceHex { get; private set; }

        /// <summary>The patient id (a topic level).</summary>
        public string Patient { get; private set; }

        /// <summary>Broker host name or address (IPv6 without brackets).</summary>
        public string BrokerHost { get; private set; }

        /// <summary>Broker TCP port.</summary>
        public int BrokerPort { get; private set; }

        /// <summary>The base topic <c>hb/&lt;patient&gt;/&lt;device&gt;</c>.</summary>
        public string BaseTopic { get; private set; }

        /// <summary>A copy of the 32-byte device key.</summary>
        public byte[] GetKey()
        {
            byte[] copy = new byte[KeyLength];
            Array.Copy(_key, copy, KeyLength);
            return copy;
        }

        /// <summary>Creates a blob from its parts (as the gateway does), checking each like the parser.</summary>
        /// <exception cref="ArgumentException">A part is invalid; the message names the <see cref="PairingError"/>.</exception>
        public static PairingBlob Create(ulong deviceId, string patient, byte[] key, string brokerHost, int brokerPort)
        {
            if (patient == null || key == null || brokerHost == null)
            {
                throw new ArgumentNullException("patient");
            }

            string deviceHex = FormatHex(deviceId);
            string host = brokerHost;
            if (host.IndexOf(':') >= 0)
            {
                host = "[" + host + "]";
            }

            string text = Prefix + ";device=" + deviceHex + ";patient=" + patient + ";key=" + ToHex(key)
                + ";broker=" + host + ":" + brokerPort.ToString() + ";topic=" + Topics.Base(patient, deviceHex);
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
            blob = null;
            error = Validate(text, out blob);
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
                default: return "Unknown";
            }
        }

        /// <summary>The canonical blob: fields in the documented order, key as lowercase hex.</summary>
        public override string ToString()
        {
            string host = BrokerHost.IndexOf(':') >= 0 ? "[" + BrokerHost + "]" : BrokerHost;
            return Prefix + ";device=" + DeviceHex + ";patient=" + Patient + ";key=" + ToHex(_key)
                + ";broker=" + host + ":" + BrokerPort.ToString() + ";topic=" + BaseTopic;
        }

        private static PairingError Validate(string text, out PairingBlob blob)
        {
            blob = null;
            if (text == null)
            {
                return PairingError.Empty;
            }

            string line = text.Trim();
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
                return PairingError.BadPrefix;
            }

            string device = null;
            string patient = null;
            string key = null;
            string broker = null;
            string topic = null;
            for (int i = 1; i < fields.Length; i++)
            {
                string field = fields[i];
                int eq = field.IndexOf('=');
                if (eq <= 0 || eq == field.Length - 1)
                {
                    return PairingError.MalformedField;
                }

                string name = field.Substring(0, eq);
                string value = field.Substring(eq + 1);
                if (name == "device")
                {
                    if (device != null)
                    {
                        return PairingError.DuplicateField;
                    }

                    device = value;
                }
                else if (name == "patient")
                {
                    if (patient != null)
                    {
                        return PairingError.DuplicateField;
                    }

                    patient = value;
                }
                else if (name == "key")
                {
                    if (key != null)
                    {
                        return PairingError.DuplicateField;
                    }

                    key = value;
                }
                else if (name == "broker")
                {
                    if (broker != null)
                    {
                        return PairingError.DuplicateField;
                    }

                    broker = value;
                }
                else if (name == "topic")
                {
                    if (topic != null)
                    {
                        return PairingError.DuplicateField;
                    }

                    topic = value;
                }
                else
                {
                    return PairingError.UnknownField;
                }
            }

            if (device == null || patient == null || key == null || broker == null || topic == null)
            {
                return PairingError.MissingField;
            }

            ulong deviceId;
            if (!TryParseDeviceId(device, out deviceId))
            {
                return PairingError.BadDeviceId;
            }

            if (!IsValidPatient(patient))
            {
                return PairingError.BadPatient;
            }

            byte[] keyBytes = DecodeKey(key);
            if (keyBytes == null)
            {
                return PairingError.BadKey;
            }

            string host;
            int port;
            if (!TryParseBroker(broker, out host, out port))
            {
                return PairingError.BadBroker;
            }

            string baseTopic = Topics.Base(patient, device);
            if (topic != baseTopic)
            {
                return PairingError.BadTopic;
            }

            blob = new PairingBlob();
            blob.DeviceId = deviceId;
            blob.DeviceHex = device;
            blob.Patient = patient;
            blob._key = keyBytes;
            blob.BrokerHost = host;
            blob.BrokerPort = port;
            blob.BaseTopic = baseTopic;
            return PairingError.None;
        }

        private static bool TryParseDeviceId(string text, out ulong id)
        {
            id = 0;
            if (text.Length != 16)
            {
                return false;
            }

            for (int i = 0; i < 16; i++)
            {
                int digit = Hex.IndexOf(text[i]);
                if (digit < 0)
                {
                    return false;
                }

                id = (id << 4) | (uint)digit;
            }

            return true;
        }

        private static bool IsValidPatient(string text)
        {
            if (text.Length < 1 || text.Length > MaxPatientLength)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        private static byte[] DecodeKey(string text)
        {
            if (text.Length == 2 * KeyLength)
            {
                byte[] key = new byte[KeyLength];
                for (int i = 0; i < KeyLength; i++)
                {
                    int high = HexDigit(text[2 * i]);
                    int low = HexDigit(text[(2 * i) + 1]);
                    if (high < 0 || low < 0)
                    {
                        return null;
                    }

                    key[i] = (byte)((high << 4) | low);
                }

                return key;
            }

            if (text.Length == 44)
            {
                return DecodeBase64Key(text);
            }

            return null;
        }

        // 32 bytes in standard padded base64 are 43 alphabet characters and one '='; the last character's low
        // 2 bits must be zero (canonical encoding).
        private static byte[] DecodeBase64Key(string text)
        {
            if (text[43] != '=')
            {
                return null;
            }

            byte[] key = new byte[KeyLength];
            int buffer = 0;
            int bits = 0;
            int o = 0;
            for (int i = 0; i < 43; i++)
            {
                int v = Base64Alphabet.IndexOf(text[i]);
                if (v < 0)
                {
                    return null;
                }

                buffer = (buffer << 6) | v;
                bits += 6;
                if (bits >= 8)
                {
                    bits -= 8;
                    key[o++] = (byte)(buffer >> bits);
                    buffer &= (1 << bits) - 1;
                }
            }

            return buffer == 0 && o == KeyLength ? key : null;
        }

        private static bool TryParseBroker(string text, out string host, out int port)
        {
            host = null;
            port = 0;
            int colon;
            if (text.Length > 0 && text[0] == '[')
            {
                int close = text.IndexOf(']');
                if (close < 3 || close + 1 >= text.Length || text[close + 1] != ':')
                {
                    return false;
                }

                host = text.Substring(1, close - 1);
                if (!IsIpv6Literal(host))
                {
                    return false;
                }

                colon = close + 1;
            }
            else
            {
                colon = text.IndexOf(':');
                if (colon <= 0 || text.IndexOf(':', colon + 1) >= 0)
                {
                    return false;
                }

                host = text.Substring(0, colon);
                if (!IsHostName(host))
                {
                    return false;
                }
            }

            string digits = text.Substring(colon + 1);
            if (digits.Length < 1 || digits.Length > 5 || digits[0] == '0')
            {
                return false;
            }

            int value = 0;
            for (int i = 0; i < digits.Length; i++)
            {
                char c = digits[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
            }

            if (value > 65535)
            {
                return false;
            }

            port = value;
            return true;
        }

        // A DNS name or dotted IPv4: labels of 1-63 letters, digits and hyphens, not starting or ending with a hyphen.
        private static bool IsHostName(string host)
        {
            if (host.Length < 1 || host.Length > 253)
            {
                return false;
            }

            int labelLength = 0;
            char previous = '.';
            for (int i = 0; i < host.Length; i++)
            {
                char c = host[i];
                if (c == '.')
                {
                    if (labelLength == 0 || previous == '-')
                    {
                        return false;
                    }

                    labelLength = 0;
                }
                else
                {
                    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                    if (!ok || (labelLength == 0 && c == '-') || ++labelLength > 63)
                    {
                        return false;
                    }
                }

                previous = c;
            }

            return labelLength > 0 && previous != '-';
        }

        private static bool IsIpv6Literal(string host)
        {
            int colons = 0;
            for (int i = 0; i < host.Length; i++)
            {
                char c = host[i];
                if (c == ':')
                {
                    colons++;
                }
                else if (HexDigit(c) < 0 && c != '.')
                {
                    return false;
                }
            }

            return colons >= 2 && host.Length <= 45;
        }

        private static int HexDigit(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            return -1;
        }

        private static string FormatHex(ulong value)
        {
            char[] chars = new char[16];
            for (int i = 15; i >= 0; i--)
            {
                chars[i] = Hex[(int)(value & 0xF)];
                value >>= 4;
            }

            return new string(chars);
        }

        private static string ToHex(byte[] bytes)
        {
            char[] chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = Hex[bytes[i] >> 4];
                chars[(2 * i) + 1] = Hex[bytes[i] & 0xF];
            }

            return new string(chars);
        }
    }
}
