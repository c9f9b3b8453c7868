using CsCheck;
using HealthBlock.Analysis;

namespace HealthBlock.Analysis.Tests;

public class QrsDetectorSyntheticTests
{
    [Theory]
    [InlineData(30, 250)]
    [InlineData(45, 250)]
    [InlineData(72, 250)]
    [InlineData(72, 360)]
    [InlineData(72, 128)]
    [InlineData(72, 1000)]
    [InlineData(130, 250)]
    [InlineData(180, 250)]
    [InlineData(220, 500)]
    [InlineData(240, 250)]
    public void Finds_every_beat_of_a_clean_synthetic_rhythm(double bpm, double fs)
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { HeartRateBpm = bpm, SamplingFrequency = fs, DurationSeconds = 60 });

        var result = Score(ecg, QrsDetector.Detect(ecg.SamplesMv, fs));

        Assert.Equal(0, result.FalseNegatives);
        Assert.Equal(0, result.FalsePositives);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Finds_beats_of_a_noisy_irregular_rhythm(int seed)
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions
        {
            HeartRateBpm = 100,
            RrVariability = 0.2,
            PWaves = false,
            DurationSeconds = 120,
            Noise = NoiseProfile.Realistic(seed),
            Seed = seed,
        });

        var result = Score(ecg, QrsDetector.Detect(ecg.SamplesMv, ecg.SamplingFrequency));

        Assert.True(result.Sensitivity >= 0.995 && result.PositivePredictivity >= 0.995, result.ToString());
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.33)]
    [InlineData(0.25)]
    public void Recovers_within_seconds_after_an_abrupt_fall_in_amplitude_and_rise_in_rate(double amplitudeRatio)
    {
        var slow = SyntheticEcg.Generate(new SyntheticEcgOptions { HeartRateBpm = 50, DurationSeconds = 30, Seed = 1 });
        var fast = SyntheticEcg.Generate(
            new SyntheticEcgOptions { HeartRateBpm = 150, DurationSeconds = 30, Seed = 2, RAmplitudeMv = 1.2 * amplitudeRatio });
        var offset = slow.SamplesMv.Length;
        var signal = slow.SamplesMv.Concat(fast.SamplesMv).ToArray();
        var truth = slow.BeatSamples.Concat(fast.BeatSamples.Select(b => b + offset)).Select(b => (long)b).ToArray();
        var detections = QrsDetector.Detect(signal, 250).Select(d => (long)d).ToArray();

        var all = Ec57Scorer.Score(truth, detections, 250);
        var afterRecovery = Ec57Scorer.Score(
            truth.Where(t => t > offset + 2500), detections.Where(d => d > offset + 2500), 250);

        Assert.Equal(0, all.FalsePositives);
        Assert.True(all.FalseNegatives <= 8, all.ToString());
        Assert.Equal(0, afterRecovery.FalseNegatives);
    }

    [Theory]
    [InlineData(1.5, 60)]
    [InlineData(2.0, 60)]
    [InlineData(2.0, 120)]
    public void Wide_QRS_complexes_are_detected_once(double widthScale, double bpm)
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { HeartRateBpm = bpm, QrsWidthScale = widthScale, DurationSeconds = 30 });

        var result = Score(ecg, QrsDetector.Detect(ecg.SamplesMv, 250));

        Assert.Equal(0, result.FalseNegatives + result.FalsePositives);
    }

    [Fact]
    public void No_beats_are_invented_during_a_six_second_pause()
    {
        var before = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 20, Seed = 1 });
        var pause = NoiseSources.Gaussian(6 * 250, 0.03, new Random(1));
        var after = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 20, Seed = 2 });
        var signal = before.SamplesMv.Concat(pause).Concat(after.SamplesMv).ToArray();
        var shift = before.SamplesMv.Length + pause.Length;
        var truth = before.BeatSamples.Concat(after.BeatSamples.Select(b => b + shift)).Select(b => (long)b);

        var result = Ec57Scorer.Score(truth, QrsDetector.Detect(signal, 250).Select(d => (long)d), 250);

        Assert.Equal(0, result.FalseNegatives + result.FalsePositives);
    }

    [Fact]
    public void Inverted_signal_is_detected_as_well()
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 30 });
        var inverted = ecg.SamplesMv.Select(v => -v).ToArray();

        var result = Score(ecg, QrsDetector.Detect(inverted, 250));

        Assert.Equal(0, result.FalseNegatives + result.FalsePositives);
    }

    [Fact]
    public void Degenerate_inputs_give_no_beats()
    {
        Assert.Empty(QrsDetector.Detect([], 250));
        Assert.Empty(QrsDetector.Detect(new double[100], 250));
        Assert.Empty(QrsDetector.Detect(new double[5000], 250));
        Assert.Empty(QrsDetector.Detect(Enumerable.Repeat(3.3, 5000).ToArray(), 250));
        Assert.Empty(QrsDetector.Detect(Enumerable.Repeat(double.NaN, 5000).ToArray(), 250));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(1e6)]
    public void Rejects_unsupported_sampling_frequencies(double fs)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new QrsDetector(fs));
    }

    [Fact]
    public void Never_throws_on_random_input_and_returns_sorted_in_range_indices()
    {
        var values = Gen.OneOf(
            Gen.Double[-5, 5],
            Gen.Double,
            Gen.OneOf<double>(double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0, double.MaxValue, double.Epsilon));
        Gen.Select(values.Array[0, 3000], Gen.OneOf<double>(50, 128, 250, 360, 1000)).Sample(
            (signal, fs) =>
            {
                var peaks = QrsDetector.Detect(signal, fs);
                AssertValidPeaks(peaks, signal.Length, fs);
            },
            iter: 400);
    }

    [Fact]
    public void Never_throws_on_random_spiky_or_clipped_ecg()
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 8 }).SamplesMv;
        Gen.Select(Gen.Int[0, ecg.Length - 1].Array[0, 50], Gen.Double[-50, 50], Gen.Double[0.05, 2]).Sample(
            (positions, spike, clip) =>
            {
                var x = ecg.Select(v => Math.Clamp(v, -clip, clip)).ToArray();
                foreach (var p in positions)
                {
                    x[p] = spike;
                }

                AssertValidPeaks(QrsDetector.Detect(x, 250), x.Length, 250);
            },
            iter: 200);
    }

    private static void AssertValidPeaks(int[] peaks, int length, double fs)
    {
        var refractory = (int)Math.Round(0.2 * fs);
        Assert.All(peaks, p => Assert.InRange(p, 0, length - 1));
        for (var i = 1; i < peaks.Length; i++)
        {
            Assert.True(peaks[i] - peaks[i - 1] >= refractory, "peaks closer than the refractory period");
        }
    }

    private static Ec57Result Score(SyntheticEcg ecg, int[] detections) =>
        Ec57Scorer.Score(ecg.BeatSamples.Select(b => (long)b), detections.Select(d => (long)d), ecg.SamplingFrequency);
}
