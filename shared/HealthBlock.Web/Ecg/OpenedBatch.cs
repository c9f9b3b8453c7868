using HealthBlock.Protocol.Frames;

namespace HealthBlock.Web.Ecg;

/// <summary>What one decrypted IoT batch holds, decoded once: ECG frames per device and the vital signs.</summary>
internal sealed class OpenedBatch
{
    private OpenedBatch(IReadOnlyList<EcgSamples> ecg, IReadOnlyList<VitalSign> vitals, string? error)
    {
        Ecg = ecg;
        Vitals = vitals;
        Error = error;
        Samples = ecg.Sum(e => (long)e.Microvolts.Length);
    }

    /// <summary>Its ECG frames.</summary>
    public IReadOnlyList<EcgSamples> Ecg { get; }

    /// <summary>Its blood-pressure and temperature readings.</summary>
    public IReadOnlyList<VitalSign> Vitals { get; }

    /// <summary>Why it could not be opened (no key for its epoch, missing or tampered block), or null.</summary>
    public string? Error { get; }

    /// <summary>ECG samples held.</summary>
    public long Samples { get; }

    /// <summary>When it was last used (a counter, for least-recently-used eviction).</summary>
    public long LastUsed { get; set; }

    /// <summary>A batch that could not be opened.</summary>
    public static OpenedBatch Unreadable(string error) => new([], [], error);

    /// <summary>Decodes the frames of a batch.</summary>
    public static OpenedBatch FromFrames(IEnumerable<DeviceFrame> frames)
    {
        var ecg = new List<EcgSamples>();
        var vitals = new List<VitalSign>();
        foreach (var frame in frames)
        {
            if (frame.Kind == SensorKind.Ecg)
            {
                ecg.Add(EcgSamples.FromFrame(frame));
            }
            else if ((frame.Flags & FrameFlags.SensorFault) == 0)
            {
                vitals.AddRange(VitalsOf(frame));
            }
        }

        return new OpenedBatch(ecg, vitals, null);
    }

    /// <summary>The readings of a blood-pressure frame (systolic, diastolic, pulse triples) or a temperature frame (centi-°C).</summary>
    public static IEnumerable<VitalSign> VitalsOf(DeviceFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var samples = frame.Samples.ToArray();
        if (frame.Kind == SensorKind.BloodPressure)
        {
            for (var i = 0; i + 2 < samples.Length; i += 3)
            {
                yield return new VitalSign(frame.TimestampMs, frame.DeviceName, samples[i], samples[i + 1], samples[i + 2], null);
            }
        }
        else if (frame.Kind == SensorKind.Temperature)
        {
            for (var i = 0; i < samples.Length; i++)
            {
                yield return new VitalSign(frame.TimestampMs + (long)(i * 1_000_000L / Math.Max(1u, frame.RateMilliHz)), frame.DeviceName, null, null, null, samples[i] / 100.0);
            }
        }
    }
}
