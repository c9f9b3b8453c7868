// Compiled into the firmware too: nanoFramework core library only (no generics, Span, LINQ or System.Math).
namespace HealthBlock.Protocol.Frames
{
    /// <summary>
    /// Byte layout of a device frame, format version 1 (little-endian, fixed 32-byte header; see docs/protocol.md).
    /// </summary>
    public static class FrameLayout
    {
        /// <summary>Current format version.</summary>
        public const byte Version = 1;

        /// <summary>Size of the fixed header in bytes.</summary>
        public const int HeaderSize = 32;

        /// <summary>Offset of the version byte.</summary>
        public const int VersionOffset = 0;

        /// <summary>Offset of the sensor kind byte.</summary>
        public const int KindOffset = 1;

        /// <summary>Offset of the flags byte.</summary>
        public const int FlagsOffset = 2;

        /// <summary>Offset of the tag length byte.</summary>
        public const int TagLengthOffset = 3;

        /// <summary>Offset of the 64-bit device id.</summary>
        public const int DeviceIdOffset = 4;

        /// <summary>Offset of the 32-bit sequence number.</summary>
        public const int SequenceOffset = 12;

        /// <summary>Offset of the 64-bit timestamp (ms since the Unix epoch, first sample).</summary>
        public const int TimestampOffset = 16;

        /// <summary>Offset of the 32-bit sample rate in millihertz.</summary>
        public const int RateOffset = 24;

        /// <summary>Offset of the 16-bit sample count.</summary>
        public const int CountOffset = 28;

        /// <summary>Offset of the 16-bit count of frames dropped before this one.</summary>
        public const int DroppedOffset = 30;

        /// <summary>Most samples one frame may carry.</summary>
        public const int MaxSamples = 2048;

        /// <summary>Shortest HMAC-SHA256 tag allowed (128 bits).</summary>
        public const int MinTagLength = 16;

        /// <summary>Longest tag (the full HMAC-SHA256 output).</summary>
        public const int MaxTagLength = 32;

        /// <summary>Tag length the firmware uses by default (untruncated).</summary>
        public const int DefaultTagLength = 32;

        /// <summary>Largest frame in bytes.</summary>
        public const int MaxFrameSize = HeaderSize + (2 * MaxSamples) + MaxTagLength;

        /// <summary>Sensor kind: ECG, int16 microvolts at the electrodes.</summary>
        public const byte KindEcg = 1;

        /// <summary>Sensor kind: blood pressure, triples of systolic mmHg, diastolic mmHg, pulse per minute.</summary>
        public const byte KindBloodPressure = 2;

        /// <summary>Sensor kind: body temperature in centi-degrees Celsius.</summary>
        public const byte KindTemperature = 3;

        /// <summary>Flag: the ECG leads were off for this frame; its samples carry no signal.</summary>
        public const byte FlagLeadOff = 0x01;

        /// <summary>Flag: the sensor reported a fault or saturated during this frame.</summary>
        public const byte FlagSensorFault = 0x02;

        /// <summary>All flags version 1 defines; any other bit is an error.</summary>
        public const byte KnownFlags = FlagLeadOff | FlagSensorFault;

        /// <summary>Size of a frame with <paramref name="sampleCount"/> samples and a tag of <paramref name="tagLength"/> bytes.</summary>
        public static int FrameSize(int sampleCount, int tagLength)
        {
            return HeaderSize + (2 * sampleCount) + tagLength;
        }
    }
}
