// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using System;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Wearable.Uplink
{
    /// <summary>Turns a reading into a signed frame with <see cref="FrameWriter"/>, in one reused buffer.</summary>
    public sealed class FrameBuilder
    {
        private readonly ulong _deviceId;
        private readonly IFrameMac _mac;
        private readonly int _tagLength;
        private readonly byte[] _buffer = new byte[FrameLayout.MaxFrameSize];

        /// <summary>Creates a builder for one device.</summary>
        public FrameBuilder(ulong deviceId, IFrameMac mac, int tagLength)
        {
            if (mac == null)
            {
                throw new ArgumentNullException("mac");
            }

            if (tagLength < FrameLayout.MinTagLength || tagLength > FrameLayout.MaxTagLength)
            {
                throw new ArgumentOutOfRangeException("tagLength");
            }

            _deviceId = deviceId;
            _mac = mac;
            _tagLength = tagLength;
        }

        /// <summary>Builds the frame and returns it as a new array of exactly its length (what MQTT publishes).</summary>
        public byte[] Build(Reading reading, uint sequence, int dropped)
        {
            if (reading == null)
            {
                throw new ArgumentNullException("reading");
            }

            int length = FrameWriter.Write(
                _buffer,
                0,
                reading.Kind,
                reading.Flags,
                _deviceId,
                sequence,
                reading.TimestampMs,
                reading.RateMilliHz,
                reading.Samples,
                0,
                reading.Samples.Length,
                dropped,
                _mac,
                _tagLength);
            byte[] frame = new byte[length];
            Array.Copy(_buffer, frame, length);
            return frame;
        }
    }
}
