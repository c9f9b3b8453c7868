using WfdbRecord = HealthBlock.Analysis.WfdbRecord;
using HealthBlock.Wearable.Simulation.Ecg;
using HealthBlock.Wearable.Simulation.Wearable;
using HealthBlock.HardwareTests.Infrastructure;
using HealthBlock.Protocol.Frames;
using HealthBlock.Wearable.Sampling;

namespace HealthBlock.HardwareTests;

/// <summary>The AD8232 emulator playing MIT-BIH record 100 and synthetic ECGs, alone and through the firmware.</summary>
public class EcgEmulatorTests
{
    private static readonly Lazy<WfdbRecord> Record100 = new(() => MitBihRecord100.Record);

    [Fact]
    public void The_embedded_record_100_loads_and_passes_its_header_checks()
    {
        var record = Record100.Value;

        Assert.Equal(360, record.SamplingFrequency);
        Assert.Equal(650_000, record.SampleCount);
        Assert.Equal(["MLII", "V5"], record.Header.Signals.Select(s => s.Description));
        Assert.All(record.Header.Signals, s => Assert.Equal((212, 200.0, 1024), (s.Format, s.Gain, s.Baseline)));
        Assert.Equal(2273, MitBihRecord100.Annotations.Count(a => a.IsBeat));
    }

    [Fact]
    public void A_file_that_is_not_embedded_is_named_in_the_error()
    {
        var error = Assert.Throws<FileNotFoundException>(() => MitBihRecord100.OpenFile("101.dat"));

        Assert.Contains("101.dat", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resampling_to_250_Hz_gives_650000_times_250_over_360_samples()
    {
        var source = new ResampledEcgSource(Record100.Value);

        Assert.Equal(650_000L * 250 / 360, source.Length);
        Assert.Equal(250, source.SampleRateHz);
        Assert.Equal(Math.Round(Record100.Value.ToPhysical(0)[0] * 1000), source.MicrovoltsAt(0));
    }

    [Fact]
    public void Every_annotated_beat_keeps_its_time_through_resampling_and_the_adc()
    {
        var record = Record100.Value;
        var emulator = new EcgAdcEmulator(new ResampledEcgSource(record));
        var raw = record.GetSamples(0).ToArray();
        var errors = new List<double>();

        foreach (var beat in MitBihRecord100.Annotations.Where(a => a.IsBeat && a.Sample > 100 && a.Sample < record.SampleCount - 100))
        {
            var peak360 = ArgMax(beat.Sample - 36, beat.Sample + 36, i => raw[(int)i]);
            var peak250 = ArgMax((beat.Sample - 36) * 250 / 360, (beat.Sample + 36) * 250 / 360, n => emulator.Conversion.ToMicrovolts(emulator.CountsAt(n)));
            errors.Add(Math.Abs((peak250 / 250.0) - (peak360 / 360.0)));
        }

        Assert.True(errors.Count >= 2270, $"{errors.Count} beats compared");
        // The two sampling grids alone allow 2 ms (half a 250 Hz period) + 1.4 ms (half a 360 Hz period).
        var sorted = errors.Order().ToList();
        Assert.True(sorted[^1] <= 0.004, $"largest R-peak shift {sorted[^1] * 1000:F2} ms, more than one sample");
        Assert.True(sorted[sorted.Count / 2] <= 0.002, $"median R-peak shift {sorted[sorted.Count / 2] * 1000:F2} ms");
    }

    [Fact]
    public void The_firmware_reproduces_the_record_within_the_adc_resolution()
    {
        var source = new ResampledEcgSource(Record100.Value);
        var uplink = new InMemoryUplink();
        using var wearable = new EmulatedWearable(TestWearables.Options(0x100) with { Ecg = source }, uplink);

        wearable.Advance(TimeSpan.FromSeconds(20));

        var key = wearable.Options.Key;
        var ecg = uplink.Published
            .Select(m => DeviceFrame.DecodeAndVerify(m.Payload, key))
            .Where(f => f.Kind == SensorKind.Ecg)
            .ToList();
        Assert.Equal(20, ecg.Count);
        var samples = ecg.SelectMany(f => f.Samples.ToArray()).ToArray();
        for (var k = 0; k < samples.Length; k++)
        {
            Assert.InRange(samples[k] - source.MicrovoltsAt(k), -5, 5);
        }
    }

    [Fact]
    public void Synthetic_beats_are_where_the_generator_put_them()
    {
        var ecg = new SyntheticEcgSource(new SyntheticEcgSourceOptions
        {
            HeartRateBpm = 80,
            RrIrregularity = 0.2,
            NoiseMicrovolts = 15,
            BaselineWanderMicrovolts = 150,
            Seed = 42,
        });
        var emulator = new EcgAdcEmulator(ecg);
        var expected = ecg.BeatTimes(59.9);

        var detected = DetectRPeaks(n => emulator.Conversion.ToMicrovolts(emulator.CountsAt(n)), 250 * 60, 250).Where(t => t < 59.9).ToList();

        Assert.Equal(expected.Count, detected.Count);
        Assert.All(expected.Zip(detected), p => Assert.InRange(p.Second - p.First, -0.004, 0.004));
        var rr = expected.Zip(expected.Skip(1), (a, b) => b - a).ToList();
        Assert.InRange(rr.Min(), 0.75 * 0.8 * 0.99, 0.75);
        Assert.InRange(rr.Max(), 0.75, 0.75 * 1.2 * 1.01);
    }

    [Fact]
    public void The_synthetic_source_is_the_analysis_library_model_read_in_any_order()
    {
        var rhythm = new HealthBlock.Analysis.SyntheticRhythm { PrematureVentricularProbability = 0.2 };
        var source = new SyntheticEcgSource(new SyntheticEcgSourceOptions { HeartRateBpm = 90, Rhythm = rhythm, Seed = 5 });
        var model = new HealthBlock.Analysis.SyntheticEcgGenerator(new HealthBlock.Analysis.SyntheticEcgOptions
        {
            HeartRateBpm = 90, RrVariability = 0, Rhythm = rhythm, FirstBeatSeconds = 0.5, Seed = 5,
        });
        var expected = new double[250 * 120];
        model.Render(0, expected);
        var random = new Random(3);

        for (var k = 0; k < 2000; k++)
        {
            var i = random.Next(expected.Length); // jumps back and forth across many chunks
            Assert.Equal((int)Math.Round(expected[i] * 1000), source.MicrovoltsAt(i));
        }

        Assert.Contains(source.Beats(120), b => b.Label == HealthBlock.Analysis.AnnotationCode.PrematureVentricular);
        Assert.Equal(source.Beats(60).Select(b => b.TimeSeconds), source.BeatTimes(60));
    }

    [Fact]
    public void The_lead_off_pins_describe_the_sample_the_next_conversion_returns()
    {
        var emulator = new EcgAdcEmulator(new SyntheticEcgSource(new SyntheticEcgSourceOptions { LeadOff = [(1.0, 0.5)] }));
        var states = new List<bool>();
        for (var i = 0; i < 500; i++)
        {
            var counts = emulator.FrontEnd.ReadSample(out var off);
            states.Add(off);
            if (off)
            {
                Assert.Equal(4095, counts);
            }
        }

        Assert.Equal(Enumerable.Range(0, 500).Select(i => i is >= 250 and < 375), states);
        Assert.False(emulator.LeadOffMinus.IsHigh());
    }

    [Fact]
    public void Lead_off_periods_become_lead_off_frames_not_ecg()
    {
        var ecg = new SyntheticEcgSource(new SyntheticEcgSourceOptions { LeadOff = [(2.0, 1.5)] });
        var uplink = new InMemoryUplink();
        using var wearable = new EmulatedWearable(TestWearables.Options(0x200) with { Ecg = ecg }, uplink);

        wearable.Advance(TimeSpan.FromSeconds(6.5));

        var frames = uplink.Published.Select(m => DeviceFrame.DecodeAndVerify(m.Payload, wearable.Options.Key)).Where(f => f.Kind == SensorKind.Ecg).ToList();
        var leadOff = frames.Where(f => f.Flags.HasFlag(FrameFlags.LeadOff)).ToList();
        Assert.Equal([(TestWearables.Epoch + 2000, 250), (TestWearables.Epoch + 3000, 125)], leadOff.Select(f => (f.TimestampMs, f.Samples.Length)));
        Assert.All(leadOff, f => Assert.All(f.Samples.ToArray(), s => Assert.Equal(0, s)));
        var signal = frames.Except(leadOff).ToList();
        Assert.All(signal, f => Assert.True(f.TimestampMs + (f.Samples.Length * 4) <= TestWearables.Epoch + 2000 || f.TimestampMs >= TestWearables.Epoch + 3500));
        Assert.All(signal, f => Assert.Contains(f.Samples.ToArray(), s => s > 600));
        Assert.Equal((int)(6.5 * 250), frames.Sum(f => f.Samples.Length));
    }

    private static long ArgMax(long from, long to, Func<long, double> value)
    {
        var best = from;
        for (var i = from + 1; i <= to; i++)
        {
            if (value(i) > value(best))
            {
                best = i;
            }
        }

        return best;
    }

    // A plain detector for a clean synthetic signal: local maxima above half the R height, 250 ms apart at least.
    private static List<double> DetectRPeaks(Func<long, int> microvolts, long count, int rate)
    {
        var peaks = new List<double>();
        long last = -rate;
        for (long n = 2; n < count - 2; n++)
        {
            var v = microvolts(n);
            if (v > 600 && v >= microvolts(n - 1) && v > microvolts(n + 1) && v >= microvolts(n - 2) && v > microvolts(n + 2) && n - last > rate / 4)
            {
                peaks.Add((double)n / rate);
                last = n;
            }
        }

        return peaks;
    }
}
