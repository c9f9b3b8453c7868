using Xunit.Abstractions;

namespace HealthBlock.Analysis.Tests;

/// <summary>
/// Accuracy on the noise stress test and the synthetic hard rhythms of data/ecg-stress/manifest.json (the full tables are
/// printed by the bench, see docs/benchmarks.md). Scoring is EC57 beat by beat with a 150 ms window; spans the analyser
/// marks unreadable are not scored, and how much was left out is bounded here too.
/// </summary>
public class DetectionBenchmarkTests(ITestOutputHelper output)
{
    public static TheoryData<string, double, double, double, double> NoiseFloors => new()
    {
        // noise, SNR, min Se, min +P, max unreadable fraction of the reference beats
        { "bw", 6, 0.995, 0.995, 0.01 },
        { "ma", 12, 0.995, 0.995, 0.01 },
        { "ma", 6, 0.995, 0.995, 0.25 },
        { "em", 12, 0.995, 0.995, 0.01 },
        { "em", 6, 0.995, 0.995, 0.10 },
        { "mains", 6, 0.995, 0.995, 0.01 },
        { "wearable", 12, 0.995, 0.995, 0.01 },
        { "wearable", 6, 0.995, 0.995, 0.12 },
        { "leadoff", 12, 0.995, 0.995, 0.10 },
        { "leadoff", 6, 0.995, 0.995, 0.18 },
    };

    [Theory]
    [MemberData(nameof(NoiseFloors))]
    public void Noise_stress_records_meet_their_floors_and_beat_the_textbook_detector(string noise, double snr, double se, double pp, double unreadable)
    {
        var c = EcgStressSet.NoiseStress(new HashSet<string> { noise }, new HashSet<double> { snr }).Single();

        var ours = EcgStressSet.ScoreAnalyzer(c.Signal, c.Fs, c.Reference, c.NoisySegments);
        var baseline = EcgStressSet.ScoreBaseline(c.Signal, c.Fs, c.Reference, c.NoisySegments);

        output.WriteLine($"{noise} {snr} dB: ours {ours}; baseline {baseline}");
        Assert.True(ours.Sensitivity >= se && ours.PositivePredictivity >= pp, ours.ToString());
        Assert.True(ours.UnreadableFraction <= unreadable, ours.ToString());
        Assert.True(
            ours.FalsePositives + ours.FalseNegatives <= baseline.FalsePositives + baseline.FalseNegatives + 1,
            $"ours {ours} vs baseline {baseline}");
    }

    [Fact]
    public void Every_clean_hard_rhythm_reaches_99_5_percent_and_every_premature_ventricular_beat_is_labelled()
    {
        foreach (var c in EcgStressSet.HardRhythms(noisy: false))
        {
            var ours = EcgStressSet.ScoreAnalyzer(c.Signal, c.Fs, c.Reference);
            output.WriteLine($"{c.Name}: {ours}");
            Assert.True(ours.Sensitivity >= 0.995 && ours.PositivePredictivity >= 0.995, $"{c.Name}: {ours}");
            Assert.True(ours.UnreadableFraction <= 0.02, $"{c.Name}: {ours}");
            Assert.True(ours.VentricularSensitivity >= 0.98 && ours.VentricularPositivePredictivity >= 0.98, $"{c.Name}: {ours}");
        }
    }

    [Fact]
    public void Conduction_changes_in_12_dB_noise_keep_the_new_bundle_branch_shapes_normal()
    {
        var c = EcgStressSet.HardRhythms(names: new HashSet<string> { "conduction-changes" }).Single(h => h.SnrDb == 12);

        var ours = EcgStressSet.ScoreAnalyzer(c.Signal, c.Fs, c.Reference);

        output.WriteLine(ours.ToString());
        Assert.True(ours.Sensitivity >= 0.995 && ours.PositivePredictivity >= 0.995, ours.ToString());
        Assert.True(ours.VentricularPositivePredictivity >= 0.85, ours.ToString()); // 0.77 when LBBB beats a little early or late were V
    }

    [Fact]
    public void Record_100_single_premature_ventricular_beat_is_labelled_and_no_normal_beat_is()
    {
        var result = EcgAnalyzer.Analyze(TestData.Record100, 0);

        var report = Ec57Scorer.Evaluate(
            TestData.Record100Annotations, result.Beats.Select(b => (b.Sample, b.Label == AnnotationCode.PrematureVentricular)), [], 360);

        output.WriteLine(report.ToString());
        Assert.Equal(1, report.VentricularTruePositives);
        Assert.True(report.VentricularFalsePositives <= 2, report.ToString());
    }
}
