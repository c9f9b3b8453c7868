using HealthBlock.Analysis;

namespace HealthBlock.Analysis.Tests;

public class SignalHelperTests
{
    [Fact]
    public void Resampling_360_to_250_keeps_length_ratio_and_in_band_sinusoids()
    {
        var x = NoiseSources.Sinusoid(3600, 360, 10, 1.0, 0.3);

        var y = Resampler.Resample(x, 360, 250);

        Assert.Equal(2500, y.Length);
        var expected = NoiseSources.Sinusoid(2500, 250, 10, 1.0, 0.3);
        for (var i = 50; i < y.Length - 50; i++)
        {
            Assert.Equal(expected[i], y[i], tolerance: 0.005);
        }
    }

    [Fact]
    public void Resampling_suppresses_content_that_would_alias()
    {
        // 150 Hz at 360 Hz would alias to 100 Hz at 250 Hz without the anti-aliasing filter.
        var x = NoiseSources.Sinusoid(7200, 360, 150, 1.0, 0);

        var y = Resampler.Resample(x, 360, 250);

        var rms = Math.Sqrt(y.Skip(100).Take(y.Length - 200).Average(v => v * v));
        Assert.True(rms < 0.01, $"aliased RMS {rms}");
    }

    [Fact]
    public void Resampling_handles_upsampling_identity_and_empty_input()
    {
        Assert.Empty(Resampler.Resample([], 360, 250));
        Assert.Equal([1.0, 2.0], Resampler.Resample([1.0, 2.0], 250, 250));
        var up = Resampler.Resample(Enumerable.Repeat(2.0, 100).ToArray(), 250, 500);
        Assert.Equal(200, up.Length);
        Assert.All(up, v => Assert.Equal(2.0, v, 9));
        Assert.Equal(139, Resampler.MapSample(200, 360, 250));
    }

    [Fact]
    public void Noise_is_reproducible_from_its_seed_and_has_the_requested_level()
    {
        var clean = new double[250 * 60];
        var profile = NoiseProfile.Realistic(42);

        var a = profile.Apply(clean, 250);
        var b = profile.Apply(clean, 250);
        var c = (profile with { Seed = 43 }).Apply(clean, 250);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        var broadband = (profile with { WanderAmplitudeMv = 0 }).Apply(clean, 250);
        var rms = Math.Sqrt(broadband.Average(v => v * v));
        Assert.InRange(rms, 0.8 * profile.BroadbandRmsMv, 1.2 * profile.BroadbandRmsMv);
        var wander = NoiseSources.BaselineWander(clean.Length, 250, 0.3, new Random(1));
        Assert.True(wander.Max(Math.Abs) <= 0.3 + 1e-12);
    }

    [Fact]
    public void Emg_noise_has_the_requested_rms_and_little_low_frequency_content()
    {
        var emg = NoiseSources.Emg(250 * 30, 250, 0.1, new Random(3));

        var rms = Math.Sqrt(emg.Average(v => v * v));
        var lowFrequency = Filters.BandPassZeroPhase(emg, 0, 5, 250);
        var lowRms = Math.Sqrt(lowFrequency.Average(v => v * v));

        Assert.Equal(0.1, rms, 6);
        Assert.True(lowRms < 0.02, $"low-frequency RMS {lowRms}");
    }

    [Fact]
    public void Synthetic_ecg_places_R_peaks_at_the_reported_samples()
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { HeartRateBpm = 60, DurationSeconds = 10, SamplingFrequency = 500 });

        Assert.InRange(ecg.BeatSamples.Length, 9, 11);
        Assert.All(ecg.BeatSamples, b =>
        {
            var window = ecg.SamplesMv.AsSpan(Math.Max(0, b - 25), 50).ToArray();
            Assert.Equal(ecg.SamplesMv[b], window.Max(), 9);
        });
    }
}
