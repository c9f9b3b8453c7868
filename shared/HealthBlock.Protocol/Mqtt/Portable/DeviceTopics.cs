// Compiled into the firmware too: nanoFramework core library only (no generics, Span, LINQ or System.Math).
#if !NANOFRAMEWORK_1_0
#nullable disable
#endif
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Protocol.Mqtt
{
    /// <summary>
    /// The MQTT topic grammar the wearable publishes on and the gateway subscribes to, in one place for both:
    /// <c>hb/&lt;patient&gt;/&lt;device&gt;/&lt;sensor&gt;</c> with a patient of 1–64 characters of <c>A–Z a–z 0–9 . _ -</c>
    /// (so never a topic separator or wildcard), the device id as 16 lowercase hex digits and the sensor
    /// <c>ecg</c>, <c>bp</c> or <c>temp</c> (firmware/README.md, "What the firmware sends").
    /// </summary>
    public static class DeviceTopics
    {
        /// <summary>The first topic level of every HealthBlock topic.</summary>
        public const string Root = "hb";

        /// <summary>The filter matching every HealthBlock topic.</summary>
        public const string AllFilter = "hb/#";

        /// <summary>Longest patient topic level.</summary>
        public const int MaxPatientLength = 64;

        /// <summary>Length of the device level: the u64 device id in hex.</summary>
        public const int DeviceIdLength = 16;

        private const string Hex = "0123456789abcdef";

        /// <summary>The device's base topic <c>hb/&lt;patient&gt;/&lt;device&gt;</c>.</summary>
        public static string Base(string patient, string deviceHex)
        {
            return Root + "/" + patient + "/" + deviceHex;
        }

        /// <summary>The topic a device publishes frames of <paramref name="kind"/> on.</summary>
        /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="kind"/> has no topic.</exception>
        public static string ForSensor(string patient, ulong deviceId, byte kind)
        {
            return ForKind(Base(patient, FormatDeviceId(deviceId)), kind);
        }

        /// <summary>The topic under <paramref name="baseTopic"/> that frames of <paramref name="kind"/> go to.</summary>
        /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="kind"/> has no topic.</exception>
        public static string ForKind(string baseTopic, byte kind)
        {
            string segment = SensorSegment(kind);
            if (segment == null)
            {
                throw new System.ArgumentOutOfRangeException("kind");
            }

            return baseTopic + "/" + segment;
        }

        /// <summary>The subscription filter of one patient's frames: <c>hb/&lt;patient&gt;/+/+</c>.</summary>
        public static string PatientFilter(string patient)
        {
            return Root + "/" + patient + "/+/+";
        }

        /// <summary>The topic level of a sensor kind, or <c>null</c> for a kind that has none.</summary>
        public static string SensorSegment(byte kind)
        {
            if (kind == FrameLayout.KindEcg)
            {
                return "ecg";
            }

            if (kind == FrameLayout.KindBloodPressure)
            {
                return "bp";
            }

            if (kind == FrameLayout.KindTemperature)
            {
                return "temp";
            }

            return null;
        }

        /// <summary>The sensor kind of a topic level (case-sensitive); false for anything else.</summary>
        public static bool TryParseSensorSegment(string segment, out byte kind)
        {
            kind = 0;
            if (segment == "ecg")
            {
                kind = FrameLayout.KindEcg;
            }
            else if (segment == "bp")
            {
                kind = FrameLayout.KindBloodPressure;
            }
            else if (segment == "temp")
            {
                kind = FrameLayout.KindTemperature;
            }

            return kind != 0;
        }

        /// <summary>True when <paramref name="patient"/> is a valid patient topic level.</summary>
        public static bool IsValidPatient(string patient)
        {
            if (patient == null || patient.Length < 1 || patient.Length > MaxPatientLength)
            {
                return false;
            }

            for (int i = 0; i < patient.Length; i++)
            {
                if (!IsNameCharacter(patient[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Letters, digits, dot, underscore and hyphen: the characters of a patient level (and of MQTT user names).</summary>
        internal static bool IsNameCharacter(char c)
        {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        }

        /// <summary>The device id as the device level: 16 lowercase hex digits.</summary>
        public static string FormatDeviceId(ulong deviceId)
        {
            char[] chars = new char[DeviceIdLength];
            for (int i = DeviceIdLength - 1; i >= 0; i--)
            {
                chars[i] = Hex[(int)(deviceId & 0xF)];
                deviceId >>= 4;
            }

            return new string(chars);
        }

        /// <summary>Parses a device level: exactly 16 lowercase hex digits.</summary>
        public static bool TryParseDeviceId(string text, out ulong deviceId)
        {
            deviceId = 0;
            if (text == null || text.Length != DeviceIdLength)
            {
                return false;
            }

            for (int i = 0; i < DeviceIdLength; i++)
            {
                int digit = Hex.IndexOf(text[i]);
                if (digit < 0)
                {
                    return false;
                }

                deviceId = (deviceId << 4) | (uint)digit;
            }

            return true;
        }

        /// <summary>
        /// Splits a sensor topic into its levels; false unless it is exactly
        /// <c>hb/&lt;patient&gt;/&lt;device&gt;/&lt;sensor&gt;</c> by the grammar above.
        /// </summary>
        public static bool TryParse(string topic, out string patient, out ulong deviceId, out byte kind)
        {
            patient = null;
            deviceId = 0;
            kind = 0;
            if (topic == null)
            {
                return false;
            }

            string[] levels = topic.Split('/');
            if (levels.Length != 4 || levels[0] != Root || !IsValidPatient(levels[1]))
            {
                return false;
            }

            if (!TryParseDeviceId(levels[2], out deviceId) || !TryParseSensorSegment(levels[3], out kind))
            {
                deviceId = 0;
                kind = 0;
                return false;
            }

            patient = levels[1];
            return true;
        }
    }
}
