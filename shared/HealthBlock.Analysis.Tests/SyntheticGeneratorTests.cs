using CsCheck;

namespace HealthBlock.Analysis.Tests;

public class SyntheticGeneratorTests
{
    private static readonly SyntheticEcgOptions Busy = new()
    {
        HeartRateBpm = 85,
        RrVariability = 0.05,
        PWaves = true,
        Rhythm = new SyntheticRhythm
        {
            PrematureVentricularProbability = 0.1,
            VentricularRunProbability = 0.02,
            PauseProbability = 0.02,
            VentricularMorphologies = [SyntheticBeatMorphology.VentricularUpright, SyntheticBeatMorphology.VentricularInverted],
            ConductedMorphologies = [SyntheticBeatMorphology.Normal, SyntheticBeatMorphology.RightBundleBranchBlock],
            ConductionSegmentSeconds = 45,
        },
        Seed = 9,
    };

    [Fact]
    public void Any_stretch_rendered_in_any_order_equals_the_same_stretch_of_one_sequential_rendering()
    {
        var whole = new double[250 * 200];
        new SyntheticEcgGenerator(Busy).Render(0, whole);
        Gen.Select(Gen.Int[0, whole.Length - 1], Gen.Int[1, 4000]).Array[1, 30].Sample(reads =>
        {
            // One generator per sequence of reads: CsCheck runs samples on several threads at once and the generator
            // (its cache and checkpoints) is not thread-safe; sharing one made this test fail now and then.
            var generator = new SyntheticEcgGenerator(Busy);
            foreach (var (start, length) in reads)
            {
                var n = Math.Min(length, whole.Length - start);
                var part = new double[n];
                generator.Render(start, part);
                Assert.Equal(whole.AsSpan(start, n).ToArray(), part);
            }
        }, iter: 40);
    }

    [Fact]
    public void Beats_carry_their_labels_and_ectopy_follows_the_rhythm_settings()
    {
        var ecg = SyntheticEcg.Generate(Busy with { DurationSeconds = 600 });

        Assert.Equal(ecg.BeatSamples.Length, ecg.BeatLabels.Count);
        var v = ecg.BeatLabels.Count(l => l == AnnotationCode.PrematureVentricular);
        Assert.InRange(v / (double)ecg.BeatLabels.Count, 0.08, 0.25);
        Assert.Contains(AnnotationCode.RightBundleBranchBlock, ecg.BeatLabels);
        Assert.True(ecg.BeatSamples.Zip(ecg.BeatSamples.Skip(1)).Max(p => p.Second - p.First) >= 2.5 * 250, "a pause");
    }

    [Fact]
    public void Bigeminy_alternates_and_every_morphology_preset_has_a_name()
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 60, Rhythm = new SyntheticRhythm { Bigeminy = true } });

        Assert.All(ecg.BeatLabels.Where((_, i) => i % 2 == 1), l => Assert.Equal(AnnotationCode.PrematureVentricular, l));
        Assert.All(ecg.BeatLabels.Where((_, i) => i % 2 == 0), l => Assert.Equal(AnnotationCode.Normal, l));
        Assert.All(SyntheticBeatMorphology.Presets, p => Assert.Same(p, SyntheticBeatMorphology.Named(p.Name)));
        Assert.Throws<ArgumentException>(() => SyntheticBeatMorphology.Named("nope"));
    }
}
