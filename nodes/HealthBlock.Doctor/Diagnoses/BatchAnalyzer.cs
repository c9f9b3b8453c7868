using HealthBlock.Analysis;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Doctor;

/// <summary>
/// Turns decoded device frames into screening findings with the analysis library: the ECG frames of each device are
/// concatenated in time order into continuous recordings (µV → mV; frames flagged lead-off or sensor fault masked;
/// short gaps filled with masked samples) and analysed with <see cref="EcgAnalyzer"/>; each blood-pressure triple is
/// classified with <see cref="BloodPressureClassifier"/> and each temperature sample with
/// <see cref="TemperatureClassifier"/>. Finding windows are seconds from <c>windowStartMs</c>.
/// </summary>
public static class BatchAnalyzer
{
    /// <summary>Analyses <paramref name="frames"/> (any order, any devices).</summary>
    public static BatchAnalysis Analyze(IEnumerable<DeviceFrame> frames, long windowStartMs, BatchAnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var o = options ?? new BatchAnalysisOptions();
        var all = frames.ToList();
        var findings = new List<Finding>();
        var algorithms = new SortedSet<(string, string)>();
        var readings = new List<VitalReading>();
        var ecgSummaries = new List<EcgRecordingSummary>();
        int ecgFrames = 0, bpFrames = 0, tempFrames = 0, leadOff = 0, faults = 0;

        foreach (var device in all.Where(f => f.Kind == SensorKind.Ecg).GroupBy(f => f.DeviceId).OrderBy(g => g.Key))
        {
            foreach (var recording in AssembleEcg(device, o))
            {
                ecgFrames += recording.Frames;
                leadOff += recording.LeadOffFrames;
                var result = EcgAnalyzer.Analyze(recording.Samples, recording.Rate, recording.Mask, o.Ecg);
                var offset = (recording.StartMs - windowStartMs) / 1000.0;
                findings.AddRange(result.Findings.Select(f => Shift(f, offset)));
                algorithms.Add((AlgorithmInfo.SignalQualityName, AlgorithmInfo.SignalQualityVersion));
                algorithms.Add((AlgorithmInfo.QrsDetectorName, AlgorithmInfo.QrsDetectorVersion));
                algorithms.Add((AlgorithmInfo.RhythmName, AlgorithmInfo.RhythmVersion));
                ecgSummaries.Add(new EcgRecordingSummary(
                    DeviceFrame.FormatDeviceId(device.Key),
                    recording.StartMs,
                    recording.StartMs + (long)Math.Round(recording.Samples.Length * 1000.0 / recording.Rate),
                    recording.Rate,
                    recording.Samples.Length,
                    recording.Frames,
                    recording.LeadOffFrames,
                    recording.FilledSamples,
                    Math.Round(result.AnalysedSeconds, 3),
                    Math.Round(result.ExcludedSeconds, 3),
                    result.RPeaks.Count,
                    result.HeartRate));
            }
        }

        foreach (var frame in all.Where(f => f.Kind != SensorKind.Ecg).OrderBy(f => f.TimestampMs).ThenBy(f => f.DeviceId).ThenBy(f => f.Sequence))
        {
            var device = frame.DeviceName;
            if (frame.Kind == SensorKind.BloodPressure)
            {
                bpFrames++;
                if ((frame.Flags & FrameFlags.SensorFault) != 0)
                {
                    faults++;
                    continue;
                }

                var samples = frame.Samples;
                for (var i = 0; i + 2 < samples.Length; i += 3)
                {
                    var at = frame.TimestampMs;
                    var window = Instant(at, windowStartMs);
                    findings.Add(BloodPressureClassifier.Analyze(samples[i], samples[i + 1], window));
                    readings.Add(new VitalReading(VitalReading.BloodPressure, device, at, samples[i], samples[i + 1], samples[i + 2], null));
                }

                algorithms.Add((AlgorithmInfo.BloodPressureName, AlgorithmInfo.BloodPressureVersion));
            }
            else if (frame.Kind == SensorKind.Temperature)
            {
                tempFrames++;
                if ((frame.Flags & FrameFlags.SensorFault) != 0)
                {
                    faults++;
                    continue;
                }

                var samples = frame.Samples;
                for (var i = 0; i < samples.Length; i++)
                {
                    var at = frame.TimestampMs + (long)(i * 1_000_000L / frame.RateMilliHz);
                    findings.Add(TemperatureClassifier.Analyze(samples[i], Instant(at, windowStartMs)));
                    readings.Add(new VitalReading(VitalReading.Temperature, device, at, null, null, null, samples[i] / 100.0));
                }

                algorithms.Add((AlgorithmInfo.TemperatureName, AlgorithmInfo.TemperatureVersion));
            }
        }

        return new BatchAnalysis(
            AnalysisReport.Create(findings),
            ecgSummaries,
            readings,
            new FrameStatistics(all.Count, ecgFrames, bpFrames, tempFrames, leadOff, faults),
            [.. algorithms.Select(a => new AlgorithmUse(a.Item1, a.Item2))],
            all.Count == 0 ? null : all.Min(f => f.TimestampMs));
    }

    /// <summary>
    /// Concatenates one device's ECG frames in time order into continuous recordings (see <see cref="BatchAnalysisOptions"/>).
    /// </summary>
    internal static List<EcgRecording> AssembleEcg(IEnumerable<DeviceFrame> deviceFrames, BatchAnalysisOptions options)
    {
        var recordings = new List<EcgRecording>();
        EcgBuilder? current = null;
        foreach (var frame in deviceFrames.OrderBy(f => f.TimestampMs).ThenBy(f => f.Sequence))
        {
            var rate = frame.RateMilliHz / 1000.0;
            if (current is not null)
            {
                var expectedMs = current.StartMs + (current.Count * 1000.0 / current.Rate);
                var gapMs = frame.TimestampMs - expectedMs;
                var tolerance = Math.Max(options.ContinuityTolerance.TotalMilliseconds, 2000.0 / rate);
                if (frame.RateMilliHz != current.RateMilliHz || gapMs < -tolerance || gapMs > options.MaxFilledGap.TotalMilliseconds)
                {
                    recordings.Add(current.Build());
                    current = null;
                }
                else if (gapMs > tolerance)
                {
                    current.Fill((int)Math.Round(gapMs * rate / 1000.0));
                }
            }

            current ??= new EcgBuilder(frame.TimestampMs, frame.RateMilliHz);
            current.Append(frame);
        }

        if (current is not null)
        {
            recordings.Add(current.Build());
        }

        return recordings;
    }

    private static TimeWindow Instant(long atMs, long windowStartMs)
    {
        var s = (atMs - windowStartMs) / 1000.0;
        return new TimeWindow(s, s);
    }

    private static Finding Shift(Finding finding, double offsetSeconds) =>
        finding.Window is { } w && offsetSeconds != 0
            ? finding with { Window = new TimeWindow(Math.Round(w.StartSeconds + offsetSeconds, 3), Math.Round(w.EndSeconds + offsetSeconds, 3)) }
            : finding;

    /// <summary>One continuous ECG recording: samples in mV, the lead-off mask, rate and provenance.</summary>
    internal sealed record EcgRecording(long StartMs, double Rate, double[] Samples, bool[] Mask, int Frames, int LeadOffFrames, int FilledSamples);

    private sealed class EcgBuilder(long startMs, uint rateMilliHz)
    {
        private readonly List<double> _samples = [];
        private readonly List<bool> _mask = [];
        private int _frames;
        private int _leadOff;
        private int _filled;

        public long StartMs { get; } = startMs;

        public uint RateMilliHz { get; } = rateMilliHz;

        public double Rate => RateMilliHz / 1000.0;

        public int Count => _samples.Count;

        public void Fill(int count)
        {
            for (var i = 0; i < count; i++)
            {
                _samples.Add(double.NaN);
                _mask.Add(true);
            }

            _filled += count;
        }

        public void Append(DeviceFrame frame)
        {
            var off = (frame.Flags & (FrameFlags.LeadOff | FrameFlags.SensorFault)) != 0;
            foreach (var s in frame.Samples)
            {
                _samples.Add(off ? double.NaN : s / 1000.0);
                _mask.Add(off);
            }

            _frames++;
            if (off)
            {
                _leadOff++;
            }
        }

        public EcgRecording Build() => new(StartMs, Rate, [.. _samples], [.. _mask], _frames, _leadOff, _filled);
    }
}
