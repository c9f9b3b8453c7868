namespace HealthBlock.Analysis.Tests;

/// <summary>The nst-style noise stress builder follows the definitions of the WFDB nst and sigamp manual pages.</summary>
public class NoiseStressTestTests
{
    [Fact]
    public void Signal_power_is_the_trimmed_mean_peak_to_peak_squared_over_eight()
    {
        // Normal beats whose peak-to-peak amplitudes are 1..400 (in steps of 1); only the first 300 count, and of those the
        // lowest and highest 15 (300/20) are dropped: the mean of 16..285 is 150.5.
        var fs = 100.0;
        var x = new double[400 * 20 + 100];
        var annotations = new List<WfdbAnnotation>();
        for (var k = 0; k < 400; k++)
        {
            var at = 50 + k * 20;
            x[at] = k + 1;
            annotations.Add(new WfdbAnnotation(at, k % 2 == 0 ? AnnotationCode.Normal : AnnotationCode.LeftBundleBranchBlock, 0, 0, 0, null));
            annotations.Add(new WfdbAnnotation(at + 10, AnnotationCode.PrematureVentricular, 0, 0, 0, null)); // not a normal beat: ignored
        }

        Assert.Equal(150.5 * 150.5 / 8, NoiseStressTest.SignalPower(x, fs, annotations), 9);
    }

    [Fact]
    public void Noise_power_is_the_trimmed_mean_of_one_second_rms_values_about_their_mean_squared()
    {
        var fs = 50.0;
        var noise = new double[400 * 50];
        for (var s = 0; s < 400; s++)
        {
            for (var i = 0; i < 50; i++)
            {
                noise[s * 50 + i] = 1000 + ((i % 2 == 0) ? s + 1 : -(s + 1)); // offset removed; RMS of chunk s is s+1
            }
        }

        Assert.Equal(150.5 * 150.5, NoiseStressTest.NoisePower(noise, fs), 6);
    }

    [Fact]
    public void The_protocol_adds_calibrated_noise_in_alternate_two_minute_segments_after_five_clean_minutes_without_steps()
    {
        var c = EcgStressSet.NoiseStress(new HashSet<string> { "ma" }, new HashSet<double> { 6 }).Single();
        var record = TestData.Record100.ToPhysical(0);
        var fs = 360.0;

        var built = NoiseStressTest.Build(record, fs, TestData.Record100Annotations, StressNoise.Generate(StressNoiseKind.MuscleArtefact, record.Length, fs, 1001), 6);

        Assert.Equal(c.Signal, built.Signal);
        Assert.Equal(6.0, 10 * Math.Log10(built.SignalPower / (built.NoisePower * built.Gain * built.Gain)), 9);
        Assert.Equal((300 * 360L, 420 * 360L), built.NoisySegments[0]);
        Assert.Equal((540 * 360L, 660 * 360L), built.NoisySegments[1]);
        Assert.Equal(record[..(300 * 360)], built.Signal[..(300 * 360)]);
        var noise = StressNoise.Generate(StressNoiseKind.MuscleArtefact, record.Length, fs, 1001);
        foreach (var (start, end) in built.NoisySegments.Where(s => s.End < record.Length))
        {
            // Across each change of gain the added component moves only by the noise's own increment: the offset
            // absorbs the step (b_new = b_old + (a_old - a_new) * noise(t)).
            double Added(int t) => built.Signal[t] - record[t];
            Assert.Equal(0, Added((int)start) - Added((int)start - 1), 9);
            Assert.Equal(built.Gain * (noise[end] - noise[end - 1]), Added((int)end) - Added((int)end - 1), 9);
        }
    }

    [Fact]
    public void Lead_off_drop_outs_sit_at_the_rail_inside_noisy_segments()
    {
        var record = TestData.Record100.ToPhysical(0);
        var noise = StressNoise.Generate(StressNoiseKind.LeadOff, record.Length, 360, 5);

        var built = NoiseStressTest.Build(record, 360, TestData.Record100Annotations, noise, 12, leadOffSeed: 7);

        Assert.NotEmpty(built.LeadOffSegments);
        foreach (var (start, end) in built.LeadOffSegments)
        {
            Assert.Contains(built.NoisySegments, s => start >= s.Start && end <= s.End);
            Assert.All(built.Signal[(int)start..(int)end], v => Assert.Equal(NoiseStressTest.RailMv, v));
        }
    }

    [Theory]
    [InlineData(StressNoiseKind.BaselineWander)]
    [InlineData(StressNoiseKind.MuscleArtefact)]
    [InlineData(StressNoiseKind.ElectrodeMotion)]
    [InlineData(StressNoiseKind.Mains)]
    [InlineData(StressNoiseKind.Wearable)]
    public void Each_noise_model_is_reproducible_from_its_seed_and_has_unit_rms(StressNoiseKind kind)
    {
        var a = StressNoise.Generate(kind, 250 * 120, 250, 3);
        var b = StressNoise.Generate(kind, 250 * 120, 250, 3);
        var c = StressNoise.Generate(kind, 250 * 120, 250, 4);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(1.0, Math.Sqrt(a.Average(v => v * v)), 6);
    }
}
