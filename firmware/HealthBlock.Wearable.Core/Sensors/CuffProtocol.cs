// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Sensors
{
    /// <summary>
    /// The HealthBlock cuff line protocol (UART, 9600 8N1, ASCII; specified in firmware/README.md). The wearable
    /// sends one-letter commands; the cuff answers with checksummed lines <c>BODY*HH\r\n</c>, where <c>HH</c> is the
    /// XOR of the body's bytes as two uppercase hex digits. Shared by the firmware driver and the cuff emulator.
    /// </summary>
    public static class CuffProtocol
    {
        /// <summary>Command: start a measurement.</summary>
        public const byte StartCommand = (byte)'M';

        /// <summary>Command: abort the running measurement (deflate).</summary>
        public const byte AbortCommand = (byte)'X';

        /// <summary>Command: report the state (<c>ST,0</c> idle, <c>ST,1</c> measuring).</summary>
        public const byte StatusCommand = (byte)'S';

        /// <summary>Longest reply line, without its line end.</summary>
        public const int MaxLineLength = 40;

        /// <summary>Reply kind: not a valid line (bad syntax, checksum or characters).</summary>
        public const int ReplyInvalid = 0;

        /// <summary>Reply kind: <c>ACK,M</c>, the measurement started.</summary>
        public const int ReplyAck = 1;

        /// <summary>Reply kind: <c>BP,sys,dia,pulse,status</c>, a result.</summary>
        public const int ReplyResult = 2;

        /// <summary>Reply kind: <c>ERR,code</c>, the measurement (or command) failed.</summary>
        public const int ReplyError = 3;

        /// <summary>Reply kind: <c>ST,state</c>.</summary>
        public const int ReplyStatus = 4;

        /// <summary>Cuff error: the cuff is loose or not wrapped.</summary>
        public const int ErrorCuffLoose = 1;

        /// <summary>Cuff error: air leak, pressure not reached.</summary>
        public const int ErrorAirLeak = 2;

        /// <summary>Cuff error: too much movement to measure.</summary>
        public const int ErrorMotion = 3;

        /// <summary>Cuff error: safety deflation (over-pressure).</summary>
        public const int ErrorOverPressure = 4;

        /// <summary>Cuff error: no pulse found.</summary>
        public const int ErrorNoPulse = 5;

        /// <summary>Cuff error: battery too low.</summary>
        public const int ErrorLowBattery = 6;

        /// <summary>Cuff error: a measurement is already running.</summary>
        public const int ErrorBusy = 7;

        /// <summary>Cuff error: aborted by an <c>X</c> command.</summary>
        public const int ErrorAborted = 8;

        /// <summary>Cuff error: unknown command.</summary>
        public const int ErrorUnknownCommand = 9;

        /// <summary>Local error: the cuff did not acknowledge <c>M</c> in time.</summary>
        public const int ErrorNoResponse = 100;

        /// <summary>Local error: no result before the measurement timeout.</summary>
        public const int ErrorTimeout = 101;

        /// <summary>Local error: the result is outside physiological limits.</summary>
        public const int ErrorImplausible = 102;

        /// <summary>Local error: the command could not be sent.</summary>
        public const int ErrorWriteFailed = 103;

        private const string HexDigits = "0123456789ABCDEF";

        /// <summary>XOR of <paramref name="count"/> bytes.</summary>
        public static int Checksum(byte[] data, int offset, int count)
        {
            int x = 0;
            for (int i = 0; i < count; i++)
            {
                x ^= data[offset + i];
            }

            return x;
        }

        /// <summary>Encodes a reply: the body, <c>*</c>, the checksum, CR LF. The body must be printable ASCII.</summary>
        public static byte[] EncodeLine(string body)
        {
            byte[] line = new byte[body.Length + 5];
            for (int i = 0; i < body.Length; i++)
            {
                line[i] = (byte)body[i];
            }

            int sum = Checksum(line, 0, body.Length);
            line[body.Length] = (byte)'*';
            line[body.Length + 1] = (byte)HexDigits[sum >> 4];
            line[body.Length + 2] = (byte)HexDigits[sum & 0xF];
            line[body.Length + 3] = (byte)'\r';
            line[body.Length + 4] = (byte)'\n';
            return line;
        }

        /// <summary>Encodes <c>BP,sys,dia,pulse,status</c>.</summary>
        public static byte[] EncodeResult(int systolic, int diastolic, int pulse, int status)
        {
            return EncodeLine("BP," + systolic.ToString() + "," + diastolic.ToString() + "," + pulse.ToString() + "," + status.ToString());
        }

        /// <summary>Encodes <c>ERR,code</c>.</summary>
        public static byte[] EncodeError(int code)
        {
            return EncodeLine("ERR," + code.ToString());
        }

        /// <summary>
        /// Parses one received line (without its LF; a trailing CR is ignored). Returns one of the <c>Reply</c>
        /// constants and fills <paramref name="reading"/> for a result (or its <c>ErrorCode</c> for an error).
        /// </summary>
        public static int ParseReply(byte[] line, int length, BloodPressureReading reading)
        {
            if (length > 0 && line[length - 1] == (byte)'\r')
            {
                length--;
            }

            // body '*' H H
            if (length < 4 || length > MaxLineLength || line[length - 3] != (byte)'*')
            {
                return ReplyInvalid;
            }

            int bodyLength = length - 3;
            for (int i = 0; i < length; i++)
            {
                if (line[i] < 0x20 || line[i] > 0x7E)
                {
                    return ReplyInvalid;
                }
            }

            int high = HexValue(line[length - 2]);
            int low = HexValue(line[length - 1]);
            if (high < 0 || low < 0 || ((high << 4) | low) != Checksum(line, 0, bodyLength))
            {
                return ReplyInvalid;
            }

            int[] fields = new int[5];
            int fieldCount;
            if (StartsWith(line, bodyLength, "ACK,M") && bodyLength == 5)
            {
                return ReplyAck;
            }

            if (StartsWith(line, bodyLength, "BP,"))
            {
                fieldCount = ParseNumbers(line, 3, bodyLength, fields);
                if (fieldCount != 4)
                {
                    return ReplyInvalid;
                }

                reading.Systolic = fields[0];
                reading.Diastolic = fields[1];
                reading.Pulse = fields[2];
                reading.Status = fields[3];
                reading.ErrorCode = 0;
                return ReplyResult;
            }

            if (StartsWith(line, bodyLength, "ERR,"))
            {
                fieldCount = ParseNumbers(line, 4, bodyLength, fields);
                if (fieldCount != 1)
                {
                    return ReplyInvalid;
                }

                reading.ErrorCode = fields[0];
                return ReplyError;
            }

            if (StartsWith(line, bodyLength, "ST,"))
            {
                fieldCount = ParseNumbers(line, 3, bodyLength, fields);
                return fieldCount == 1 ? ReplyStatus : ReplyInvalid;
            }

            return ReplyInvalid;
        }

        /// <summary>Whether a result is physiologically possible (systolic 40–300, diastolic 20–250 and below it, pulse 20–250).</summary>
        public static bool IsPlausible(BloodPressureReading reading)
        {
            return reading.Systolic >= 40 && reading.Systolic <= 300
                && reading.Diastolic >= 20 && reading.Diastolic <= 250
                && reading.Diastolic < reading.Systolic
                && reading.Pulse >= 20 && reading.Pulse <= 250;
        }

        private static bool StartsWith(byte[] line, int length, string prefix)
        {
            if (length < prefix.Length)
            {
                return false;
            }

            for (int i = 0; i < prefix.Length; i++)
            {
                if (line[i] != (byte)prefix[i])
                {
                    return false;
                }
            }

            return true;
        }

        // Comma-separated decimal numbers of 1 to 3 digits from 'start' to 'end'; returns how many, or -1.
        private static int ParseNumbers(byte[] line, int start, int end, int[] values)
        {
            int count = 0;
            int i = start;
            while (true)
            {
                int value = 0;
                int digits = 0;
                while (i < end && line[i] >= (byte)'0' && line[i] <= (byte)'9')
                {
                    value = (value * 10) + (line[i] - (byte)'0');
                    digits++;
                    i++;
                }

                if (digits == 0 || digits > 3 || count == values.Length)
                {
                    return -1;
                }

                values[count++] = value;
                if (i == end)
                {
                    return count;
                }

                if (line[i] != (byte)',')
                {
                    return -1;
                }

                i++;
            }
        }

        private static int HexValue(byte c)
        {
            if (c >= (byte)'0' && c <= (byte)'9')
            {
                return c - (byte)'0';
            }

            if (c >= (byte)'A' && c <= (byte)'F')
            {
                return c - (byte)'A' + 10;
            }

            return -1;
        }
    }
}
