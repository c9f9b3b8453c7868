// Compiled into the firmware too: nanoFramework core library only (no generics, Span, LINQ or System.Math).
using System;

namespace HealthBlock.Protocol.Frames
{
    /// <summary>
    /// Writes device frames (format version 1) into a caller's buffer without allocating: small enough for the wearable.
    /// </summary>
    public static class FrameWriter
    {
        /// <summary>
        /// Writes one authenticated frame at <paramref name="offset"/> of <paramref name="buffer"/> and returns its length.
        /// </summary>
        /// <param name="buffer">Destination; needs <see cref="FrameLayout.FrameSize"/> bytes from <paramref name="offset"/>.</param>
        /// <param name="offset">Where the frame starts.</param>
        /// <param name="kind">Sensor kind (one of the FrameLayout.Kind constants, or a later one).</param>
        /// <param name="flags">Flags (FrameLayout.Flag constants).</param>
        /// <param name="deviceId">The device id assigned at pairing.</param>
        /// <param name="sequence">The device's next sequence number (never reused, persisted across reboots).</param>
        /// <param name="timestampMs">Time of the first sample, ms since the Unix epoch.</param>
        /// <param name="rateMilliHz">Sample rate in millihertz (250 Hz = 250000).</param>
        /// <param name="samples">Sample source.</param>
        /// <param name="sampleOffset">First sample to take.</param>
        /// <param name="sampleCount">How many samples (0 to <see cref="FrameLayout.MaxSamples"/>).</param>
        /// <param name="dropped">Frames the device dropped since its last sent frame (saturates at 65535).</param>
        /// <param name="mac">HMAC-SHA256 under the device key.</param>
        /// <param name="tagLength">Tag length, 16 to 32 bytes.</param>
        /// <returns>The frame length in bytes.</returns>
        public static int Write(
            byte[] buffer,
            int offset,
            byte kind,
            byte flags,
            ulong deviceId,
            uint sequence,
            long timestampMs,
            uint rateMilliHz,
            short[] samples,
            int sampleOffset,
            int sampleCount,
            int dropped,
            IFrameMac mac,
            int tagLength)
        {
            if (buffer == null || samples == null || mac == null)
            {
                throw new ArgumentNullException();
            }

            if (sampleCount < 0 || sampleCount > FrameLayout.MaxSamples || sampleOffset < 0 || sampleOffset + sampleCount > samples.Length)
            {
                throw new ArgumentOutOfRangeException("sampleCount");
            }

            if (tagLength < FrameLayout.MinTagLength || tagLength > FrameLayout.MaxTagLength)
            {
                throw new ArgumentOutOfRangeException("tagLength");
            }

            if (rateMilliHz == 0 || kind == 0 || (flags & ~FrameLayout.KnownFlags) != 0)
            {
                throw new ArgumentException("rate, kind or flags");
            }

            int size = FrameLayout.FrameSize(sampleCount, tagLength);
            if (offset < 0 || offset + size > buffer.Length)
            {
                throw new ArgumentOutOfRangeException("offset");
            }

            if (dropped < 0)
            {
                dropped = 0;
            }
            else if (dropped > 0xFFFF)
            {
                dropped = 0xFFFF;
            }

            buffer[offset + FrameLayout.VersionOffset] = FrameLayout.Version;
            buffer[offset + FrameLayout.KindOffset] = kind;
            buffer[offset + FrameLayout.FlagsOffset] = flags;
            buffer[offset + FrameLayout.TagLengthOffset] = (byte)tagLength;
            PutUInt64(buffer, offset + FrameLayout.DeviceIdOffset, deviceId);
            PutUInt32(buffer, offset + FrameLayout.SequenceOffset, sequence);
            PutUInt64(buffer, offset + FrameLayout.TimestampOffset, (ulong)timestampMs);
            PutUInt32(buffer, offset + FrameLayout.RateOffset, rateMilliHz);
            PutUInt16(buffer, offset + FrameLayout.CountOffset, (ushort)sampleCount);
            PutUInt16(buffer, offset + FrameLayout.DroppedOffset, (ushort)dropped);
            int p = offset + FrameLayout.HeaderSize;
            for (int i = 0; i < sampleCount; i++)
            {
                PutUInt16(buffer, p, (ushort)samples[sampleOffset + i]);
                p += 2;
            }

            mac.ComputeTag(buffer, offset, p - offset, buffer, p, tagLength);
            return size;
        }

        /// <summary>Writes a 16-bit value little-endian.</summary>
        public static void PutUInt16(byte[] buffer, int offset, ushort value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
        }

        /// <summary>Writes a 32-bit value little-endian.</summary>
        public static void PutUInt32(byte[] buffer, int offset, uint value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
            buffer[offset + 2] = (byte)(value >> 16);
            buffer[offset + 3] = (byte)(value >> 24);
        }

        /// <summary>Writes a 64-bit value little-endian.</summary>
        public static void PutUInt64(byte[] buffer, int offset, ulong value)
        {
            PutUInt32(buffer, offset, (uint)value);
            PutUInt32(buffer, offset + 4, (uint)(value >> 32));
        }
    }
}
