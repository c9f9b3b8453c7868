using HealthBlock.Protocol.Frames;

namespace HealthBlock.Fhir;

/// <summary>The decoded readings of one Userchain IoT transaction (one encrypted batch) and where it is on the ledger.</summary>
/// <param name="Origin">The IoT transaction and its block (chain Userchain).</param>
/// <param name="Ecg">ECG segments (frames with signal only).</param>
/// <param name="BloodPressure">Cuff readings (frames without a sensor fault only).</param>
/// <param name="Temperature">Temperature readings (frames without a sensor fault only).</param>
public sealed record ReadingBatch(
    LedgerOrigin Origin,
    IReadOnlyList<EcgSegment> Ecg,
    IReadOnlyList<BloodPressureReading> BloodPressure,
    IReadOnlyList<TemperatureReading> Temperature)
{
    /// <summary>
    /// The readings of a batch's decoded frames, in the frames' own units and times: each ECG frame becomes a segment,
    /// each blood-pressure triple and temperature sample a reading (reading <c>k</c> of a frame is due at
    /// <c>timestamp + k / rate</c>). Frames flagged <see cref="FrameFlags.LeadOff"/> or <see cref="FrameFlags.SensorFault"/>
    /// carry no measurement (zeros, or an error code) and are left out.
    /// </summary>
    /// <param name="origin">The IoT transaction the frames came from.</param>
    /// <param name="frames">The batch's frames (<c>IotBatch.Open(...).Frames</c>, decoded).</param>
    /// <returns>The batch.</returns>
    public static ReadingBatch FromFrames(LedgerOrigin origin, IEnumerable<DeviceFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(frames);
        var ecg = new List<EcgSegment>();
        var pressure = new List<BloodPressureReading>();
        var temperature = new List<TemperatureReading>();
        foreach (var frame in frames)
        {
            if ((frame.Flags & (FrameFlags.LeadOff | FrameFlags.SensorFault)) != 0)
            {
                continue;
            }

            var samples = frame.Samples;
            switch (frame.Kind)
            {
                case SensorKind.Ecg:
                    ecg.Add(new EcgSegment(frame.DeviceId, frame.TimestampMs, frame.RateMilliHz, samples.ToArray()));
                    break;
                case SensorKind.BloodPressure:
                    for (var k = 0; k + 2 < samples.Length; k += 3)
                    {
                        pressure.Add(new BloodPressureReading(
                            frame.DeviceId, ReadingTime(frame, k / 3), samples[k], samples[k + 1], samples[k + 2]));
                    }

                    break;
                case SensorKind.Temperature:
                    for (var k = 0; k < samples.Length; k++)
                    {
                        temperature.Add(new TemperatureReading(frame.DeviceId, ReadingTime(frame, k), samples[k]));
                    }

                    break;
                default:
                    throw new FhirExportException($"Frame {frame.Sequence} of device {frame.DeviceName} has sensor kind {(byte)frame.Kind}, which has no FHIR mapping.");
            }
        }

        return new ReadingBatch(origin, ecg, pressure, temperature);
    }

    private static long ReadingTime(DeviceFrame frame, int index) => frame.TimestampMs + (index * 1_000_000L / frame.RateMilliHz);
}
