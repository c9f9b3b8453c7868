using HealthBlock.Analysis;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Doctor.Tests;

public sealed class BatchAnalyzerTests
{
    private static readonly byte[] Key = DeviceMac.NewKey();

    private static DeviceFrame Frame(ulong device, uint seq, SensorKind kind, short[] samples, long timeMs, FrameFlags flags = FrameFlags.None, uint rate = 250_000) =>
        DeviceFrame.Decode(TestDevice.Frame(device, Key, seq, kind, samples, timeMs, rate, flags));

    [Fact]
    public void Ecg_frames_are_concatenated_per_device_in_time_order_whatever_their_order_in_the_batch()
    {
        var ecg = Signals.EcgMicrovolts(12);
        var frames = Enumerable.Range(0, 12).Select(i => Frame(1, (uint)i, SensorKind.Ecg, Signals.Second(ecg, i), 10_000 + (i * 1000L))).Reverse();

        var analysis = BatchAnalyzer.Analyze(frames, 10_000);

        var recording = Assert.Single(analysis.Ecg);
        var expected = EcgAnalyzer.Analyze(ecg.Select(s => s / 1000.0).ToArray(), 250);
        Assert.Equal(expected.RPeaks.Count, recording.BeatCount);
        Assert.Equal(3000, recording.SampleCount);
        Assert.Equal(10_000, recording.StartMs);
        Assert.Equal(22_000, recording.EndMs);
        Assert.Equal(10_000, analysis.EarliestReadingMs);
    }

    [Fact]
    public void A_short_gap_is_filled_and_masked_a_long_gap_or_another_device_starts_a_new_recording()
    {
        var ecg = Signals.EcgMicrovolts(30);
        var frames = new List<DeviceFrame>();
        for (var i = 0; i < 8; i++)
        {
            frames.Add(Frame(1, (uint)i, SensorKind.Ecg, Signals.Second(ecg, i), i * 1000L));
        }

        // Two seconds missing, then six more; then a minute later six more; and another device.
        for (var i = 10; i < 16; i++)
        {
            frames.Add(Frame(1, (uint)i, SensorKind.Ecg, Signals.Second(ecg, i), i * 1000L));
        }

        for (var i = 16; i < 22; i++)
        {
            frames.Add(Frame(1, (uint)i, SensorKind.Ecg, Signals.Second(ecg, i), 60_000 + (i * 1000L)));
        }

        frames.Add(Frame(2, 0, SensorKind.Ecg, Signals.Second(ecg, 0), 0));

        var analysis = BatchAnalyzer.Analyze(frames, 0);

        Assert.Equal(3, analysis.Ecg.Count);
        var first = analysis.Ecg[0];
        Assert.Equal(14, first.Frames);
        Assert.Equal(500, first.FilledGapSamples);
        Assert.Equal(16 * 250, first.SampleCount);
        Assert.Contains(analysis.Report.Findings, f => f.Kind == FindingKind.LeadOff && f.Window!.StartSeconds < 10 && f.Window.EndSeconds > 8);
        Assert.Equal("0000000000000002", analysis.Ecg[2].Device);
    }

    [Fact]
    public void Lead_off_frames_are_masked_and_faulty_vitals_skipped()
    {
        var ecg = Signals.EcgMicrovolts(12);
        var frames = Enumerable.Range(0, 12).Select(i => Frame(1, (uint)i, SensorKind.Ecg, i == 3 ? new short[250] : Signals.Second(ecg, i), i * 1000L, i == 3 ? FrameFlags.LeadOff : FrameFlags.None)).ToList();
        frames.Add(Frame(3, 0, SensorKind.BloodPressure, [185, 125, 90], 2_000, rate: 100));
        frames.Add(Frame(3, 1, SensorKind.BloodPressure, [120, 80, 60], 3_000, FrameFlags.SensorFault, rate: 100));
        frames.Add(Frame(4, 0, SensorKind.Temperature, [3640, 3650], 4_000, rate: 100));

        var analysis = BatchAnalyzer.Analyze(frames, 0);

        Assert.Equal(new FrameStatistics(15, 12, 2, 1, 1, 1), analysis.Frames);
        Assert.Equal(1, analysis.Ecg[0].LeadOffFrames);
        Assert.Equal(FindingKind.HypertensiveCrisis, analysis.Report.Findings[0].Kind);
        Assert.Equal(2, analysis.Report.Findings.Count(f => f.Kind == FindingKind.TemperatureNormal));
        Assert.Contains(analysis.Report.Findings, f => f.Kind == FindingKind.TemperatureNormal && f.Window!.StartSeconds == 14.0);
        Assert.Equal(3, analysis.Readings.Count);
        Assert.Contains(analysis.Algorithms, a => a.Name == AlgorithmInfo.QrsDetectorName && a.Version == AlgorithmInfo.QrsDetectorVersion);
    }
}
