// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Uplink
{
    /// <summary>
    /// What the sampler produced for one frame, before it is numbered and signed. The uplink turns it into a frame
    /// when it sends it, so the sequence number and the <c>dropped</c> count are those of the moment of sending.
    /// </summary>
    public sealed class Reading
    {
        /// <summary>Creates a reading; <paramref name="samples"/> is kept, not copied.</summary>
        public Reading(byte kind, byte flags, long timestampMs, uint rateMilliHz, short[] samples)
        {
            if (samples == null || samples.Length == 0)
            {
                throw new System.ArgumentException("samples");
            }

            Kind = kind;
            Flags = flags;
            TimestampMs = timestampMs;
            RateMilliHz = rateMilliHz;
            Samples = samples;
        }

        /// <summary>Sensor kind (<c>FrameLayout.Kind…</c>).</summary>
        public byte Kind { get; private set; }

        /// <summary>Frame flags (<c>FrameLayout.Flag…</c>).</summary>
        public byte Flags { get; private set; }

        /// <summary>Time of the first sample, ms since the Unix epoch.</summary>
        public long TimestampMs { get; private set; }

        /// <summary>Sample rate in millihertz.</summary>
        public uint RateMilliHz { get; private set; }

        /// <summary>The samples, exactly as many as the frame carries.</summary>
        public short[] Samples { get; private set; }
    }
}
