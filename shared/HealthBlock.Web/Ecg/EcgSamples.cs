using HealthBlock.Protocol.Frames;

namespace HealthBlock.Web.Ecg;

/// <summary>The samples of one ECG frame, with their minimum and maximum kept for decimation.</summary>
public sealed class EcgSamples
{
    /// <summary>Creates the samples of one frame.</summary>
    /// <param name="device">The device id.</param>
    /// <param name="startMs">Time of the first sample (Unix ms, device clock).</param>
    /// <param name="rateMilliHz">Sampling rate in mHz (250 000 for 250 Hz).</param>
    /// <param name="microvolts">The samples, µV.</param>
    /// <param name="leadOff">True when the device flagged lead-off or a sensor fault: the samples are not plotted.</param>
    public EcgSamples(ulong device, long startMs, uint rateMilliHz, short[] microvolts, bool leadOff)
    {
        ArgumentNullException.ThrowIfNull(microvolts);
        ArgumentOutOfRangeException.ThrowIfZero(rateMilliHz);
        Device = device;
        StartMs = startMs;
        RateMilliHz = rateMilliHz;
        Microvolts = microvolts;
        LeadOff = leadOff;
        if (!leadOff && microvolts.Length > 0)
        {
            Min = microvolts.Min();
            Max = microvolts.Max();
        }
    }

    /// <summary>The device id.</summary>
    public ulong Device { get; }

    /// <summary>Time of the first sample (Unix ms).</summary>
    public long StartMs { get; }

    /// <summary>Sampling rate, mHz.</summary>
    public uint RateMilliHz { get; }

    /// <summary>Samples per second.</summary>
    public double RateHz => RateMilliHz / 1000.0;

    /// <summary>The samples, µV.</summary>
    public short[] Microvolts { get; }

    /// <summary>True when the samples are not a reading (lead-off or sensor fault).</summary>
    public bool LeadOff { get; }

    /// <summary>Smallest sample (0 when lead-off).</summary>
    public short Min { get; }

    /// <summary>Largest sample (0 when lead-off).</summary>
    public short Max { get; }

    /// <summary>Time just after the last sample.</summary>
    public long EndMs => StartMs + (long)Math.Round(Microvolts.Length * 1_000_000.0 / RateMilliHz);

    /// <summary>The time of sample <paramref name="index"/> (Unix ms, fractional).</summary>
    public double TimeOf(int index) => StartMs + (index * 1_000_000.0 / RateMilliHz);

    /// <summary>The samples of an ECG frame.</summary>
    /// <exception cref="ArgumentException">The frame is not ECG.</exception>
    public static EcgSamples FromFrame(DeviceFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Kind != SensorKind.Ecg)
        {
            throw new ArgumentException($"frame {frame.Sequence} of {frame.DeviceName} is {frame.Kind}, not ECG", nameof(frame));
        }

        return new EcgSamples(frame.DeviceId, frame.TimestampMs, frame.RateMilliHz, frame.Samples.ToArray(), (frame.Flags & (FrameFlags.LeadOff | FrameFlags.SensorFault)) != 0);
    }
}
