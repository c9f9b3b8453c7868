// Compiled into the firmware too: nanoFramework core library only (no generics, Span, LINQ or System.Math).
#if !NANOFRAMEWORK_1_0
#nullable disable
#endif
using HealthBlock.Protocol.Mqtt;

namespace HealthBlock.Protocol.Pairing
{
    /// <summary>The field grammars of the pairing blob: hex, strict base64, host and port, credentials, DER framing.</summary>
    internal static class PairingText
    {
        private const string Hex = "0123456789abcdef";
        private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

        /// <summary>Lowercase hex of <paramref name="bytes"/>.</summary>
        public static string ToHex(byte[] bytes)
        {
            char[] chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = Hex[bytes[i] >> 4];
                chars[(2 * i) + 1] = Hex[bytes[i] & 0xF];
            }

            return new string(chars);
        }

        /// <summary>The bytes of an even number of hex digits (either case), or null.</summary>
        public static byte[] FromHex(string text)
        {
            if ((text.Length & 1) != 0)
            {
                return null;
            }

            byte[] bytes = new byte[text.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                int high = HexDigit(text[2 * i]);
                int low = HexDigit(text[(2 * i) + 1]);
                if (high < 0 || low < 0)
                {
                    return null;
                }

                bytes[i] = (byte)((high << 4) | low);
            }

            return bytes;
        }

        /// <summary>Standard padded base64 (RFC 4648 §4) of <paramref name="bytes"/>.</summary>
        public static string ToBase64(byte[] bytes)
        {
            char[] chars = new char[((bytes.Length + 2) / 3) * 4];
            int o = 0;
            for (int i = 0; i < bytes.Length; i += 3)
            {
                int remaining = bytes.Length - i;
                int block = bytes[i] << 16;
                if (remaining > 1)
                {
                    block |= bytes[i + 1] << 8;
                }

                if (remaining > 2)
                {
                    block |= bytes[i + 2];
                }

                chars[o++] = Base64Alphabet[(block >> 18) & 0x3F];
                chars[o++] = Base64Alphabet[(block >> 12) & 0x3F];
                chars[o++] = remaining > 1 ? Base64Alphabet[(block >> 6) & 0x3F] : '=';
                chars[o++] = remaining > 2 ? Base64Alphabet[block & 0x3F] : '=';
            }

            return new string(chars);
        }

        /// <summary>
        /// Decodes standard padded base64 in canonical form only (RFC 4648 §3.5: padding present, unused bits zero);
        /// null for anything else, including the URL-safe alphabet and white space.
        /// </summary>
        public static byte[] FromBase64(string text)
        {
            if (text.Length == 0 || (text.Length & 3) != 0)
            {
                return null;
            }

            int padding = text[text.Length - 1] == '=' ? (text[text.Length - 2] == '=' ? 2 : 1) : 0;
            int symbols = text.Length - padding;
            byte[] bytes = new byte[((text.Length / 4) * 3) - padding];
            int buffer = 0;
            int bits = 0;
            int o = 0;
            for (int i = 0; i < symbols; i++)
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
                    bytes[o++] = (byte)(buffer >> bits);
                    buffer &= (1 << bits) - 1;
                }
            }

            return buffer == 0 && o == bytes.Length ? bytes : null;
        }

        /// <summary>
        /// True when <paramref name="der"/> is exactly one DER SEQUENCE (ITU-T X.690 §8.9, definite length in the
        /// shortest form of §10.1), as an X.509 certificate is: tag 0x30 and a length that covers the rest.
        /// </summary>
        public static bool IsDerSequence(byte[] der)
        {
            if (der.Length < 2 || der[0] != 0x30)
            {
                return false;
            }

            int first = der[1];
            int header;
            int length;
            if (first < 0x80)
            {
                header = 2;
                length = first;
            }
            else if (first == 0x81 && der.Length >= 3 && der[2] >= 0x80)
            {
                header = 3;
                length = der[2];
            }
            else if (first == 0x82 && der.Length >= 4 && der[2] != 0)
            {
                header = 4;
                length = (der[2] << 8) | der[3];
            }
            else
            {
                return false;
            }

            return header + length == der.Length;
        }

        /// <summary>Parses <c>host:port</c> or <c>[ipv6]:port</c>; the host comes back without brackets.</summary>
        public static bool TryParseBroker(string text, out string host, out int port)
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

            return TryParsePort(text.Substring(colon + 1), out port);
        }

        /// <summary>The broker as the blob writes it: IPv6 literals in brackets.</summary>
        public static string FormatBroker(string host, int port)
        {
            string shown = host.IndexOf(':') >= 0 ? "[" + host + "]" : host;
            return shown + ":" + port.ToString();
        }

        /// <summary>An MQTT user name: 1 to <paramref name="max"/> characters of <c>A–Z a–z 0–9 . _ -</c>.</summary>
        public static bool IsUsername(string text, int max)
        {
            if (text.Length < 1 || text.Length > max)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                if (!DeviceTopics.IsNameCharacter(text[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>An MQTT password: 1 to <paramref name="max"/> printable ASCII characters other than space and <c>;</c>.</summary>
        public static bool IsPassword(string text, int max)
        {
            if (text.Length < 1 || text.Length > max)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c <= ' ' || c > '~' || c == ';')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool TryParsePort(string digits, out int port)
        {
            port = 0;
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

        // A DNS name or dotted IPv4 (RFC 1123 §2.1): labels of 1-63 letters, digits and hyphens, not starting or ending with a hyphen.
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
    }
}
