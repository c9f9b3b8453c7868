using HealthBlock.Analysis;
using Xunit.Abstractions;

namespace HealthBlock.Analysis.Tests;

/// <summary>
/// Accuracy on MIT-BIH record 100, channel 0 (MLII), 2273 reference beats, scored over the whole
/// record with the EC57 150 ms match window. Target: Se ≥ 99.5 % and +P ≥ 99.5 % in every condition.
/// </summary>
public class QrsDetectorMitBihTests(ITestOutputHelper output)
{
    private const double Target = 0.995;

    /// <summary>
    /// Noise used for the noisy condition, relative to record 100's QRS (median peak-to-peak ≈ 1.5 mV):
    /// Gaussian 0.06 mV RMS + EMG-like 0.08 mV RMS + 50 Hz mains 0.05 mV peak → broadband RMS ≈ 0.106 mV,
    /// about 7 % of the QRS amplitude (SNR ≈ 23 dB, QRS peak-to-peak over noise RMS), plus 0.3 mV baseline wander.
    /// </summary>
    internal static NoiseProfile NoisyProfile(int seed) => new(0.06, 0.08, 0.05, 50.0, 0.3, seed);

    [Fact]
    public void Record_100_at_360_Hz_meets_the_target()
    {
        var record = TestData.Record100;

        var detections = QrsDetector.Detect(record.ToPhysical(0), record.SamplingFrequency);

        AssertTarget(Ec57Scorer.Score(TestData.Record100Annotations, detections, record.SamplingFrequency), "360 Hz");
    }

    [Fact]
    public void Record_100_in_adc_units_gives_the_same_beats_as_in_millivolts()
    {
        var record = TestData.Record100;
        var detector = new QrsDetector(record.SamplingFrequency);

        Assert.Equal(detector.Detect(record.ToPhysical(0)), detector.Detect(record.GetSamples(0)));
    }

    [Fact]
    public void Record_100_resampled_to_250_Hz_meets_the_target()
    {
        var (signal, reference) = Resampled250();

        var detections = QrsDetector.Detect(signal, 250);

        AssertTarget(Ec57Scorer.Score(reference, detections.Select(d => (long)d), 250), "250 Hz");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Record_100_at_250_Hz_with_noise_and_baseline_wander_meets_the_target(int seed)
    {
        var (signal, reference) = Resampled250();
        var noisy = NoisyProfile(seed).Apply(signal, 250);

        var detections = QrsDetector.Detect(noisy, 250);

        AssertTarget(Ec57Scorer.Score(reference, detections.Select(d => (long)d), 250), $"250 Hz noisy seed {seed}");
    }

    [Fact]
    public void Detected_peaks_lie_close_to_the_annotated_R_peaks()
    {
        var record = TestData.Record100;
        var detections = QrsDetector.Detect(record.ToPhysical(0), record.SamplingFrequency);
        var reference = WfdbAnnotationReader.BeatSamples(TestData.Record100Annotations);

        var errors = reference.Select(r => detections.Min(d => Math.Abs(d - r))).ToArray();

        Assert.True(errors.Average() < 0.01 * 360, $"mean localisation error {errors.Average()} samples");
    }

    internal static (double[] Signal, long[] Reference) Resampled250()
    {
        var signal = Resampler.Resample(TestData.Record100.ToPhysical(0), 360, 250);
        var reference = WfdbAnnotationReader.BeatSamples(TestData.Record100Annotations)
            .Select(b => Resampler.MapSample(b, 360, 250))
            .ToArray();
        return (signal, reference);
    }

    private void AssertTarget(Ec57Result result, string condition)
    {
        output.WriteLine($"{condition}: {result}");
        Assert.Equal(2273, result.TruePositives + result.FalseNegatives);
        Assert.True(result.Sensitivity >= Target, $"{condition}: Se below target: {result}");
        Assert.True(result.PositivePredictivity >= Target, $"{condition}: +P below target: {result}");
    }
}
