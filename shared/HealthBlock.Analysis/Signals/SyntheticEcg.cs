namespace HealthBlock.Analysis;

/// <summary>A synthetic ECG with the true R-peak positions.</summary>
/// <param name="SamplesMv">The signal, mV.</param>
/// <param name="SamplingFrequency">Samples per second.</param>
/// <param name="BeatSamples">Sample index of each R peak (the ground truth).</param>
public sealed record SyntheticEcg(double[] SamplesMv, double SamplingFrequency, int[] BeatSamples)
{
    /// <summary>
    /// Generates an ECG as a sum of Gaussian P, Q, R, S and T waves per beat (a simplified form of the
    /// sum-of-Gaussians ECG model), with QT scaled by √RR (Bazett), at known beat times. Deterministic for a
    /// given <see cref="SyntheticEcgOptions.Seed"/> and noise seed.
    /// </summary>
    /// <param name="options">Parameters.</param>
    /// <returns>The signal and its true beat positions.</returns>
    public static SyntheticEcg Generate(SyntheticEcgOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var fs = options.SamplingFrequency;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fs);
        var n = (int)Math.Round(options.DurationSeconds * fs);
        var rng = new Random(options.Seed);
        var beats = BeatTimes(options, rng);
        var x = new double[n];
        var a = options.RAmplitudeMv;
        for (var k = 0; k < beats.Count; k++)
        {
            var t0 = beats[k];
            var rr = k > 0 ? t0 - beats[k - 1] : (k + 1 < beats.Count ? beats[k + 1] - t0 : 60.0 / options.HeartRateBpm);
            var s = Math.Sqrt(Math.Clamp(rr, 0.25, 2.5));
            if (options.PWaves)
            {
                AddWave(x, fs, t0 - 0.16, 0.025, 0.12 * a);
            }

            var w = options.QrsWidthScale;
            AddWave(x, fs, t0 - 0.025 * w, 0.008 * w, -0.08 * a);
            AddWave(x, fs, t0, 0.010 * w, a);
            AddWave(x, fs, t0 + 0.027 * w, 0.009 * w, -0.2 * a);
            AddWave(x, fs, t0 + 0.28 * s, 0.05 * s, 0.25 * a);
        }

        if (!options.PWaves)
        {
            var phase = rng.NextDouble() * 2 * Math.PI;
            for (var i = 0; i < n; i++)
            {
                var t = i / fs;
                x[i] += 0.04 * a * Math.Sin(2 * Math.PI * 6.0 * t + phase + 1.5 * Math.Sin(2 * Math.PI * 0.3 * t));
            }
        }

        if (options.Noise is { } noise)
        {
            x = noise.Apply(x, fs);
        }

        var samples = beats.Select(t => (int)Math.Round(t * fs)).Where(i => i >= 0 && i < n).ToArray();
        return new SyntheticEcg(x, fs, samples);
    }

    private static List<double> BeatTimes(SyntheticEcgOptions o, Random rng)
    {
        var times = new List<double>();
        var t = 0.4;
        var k = 0;
        while (t < o.DurationSeconds - 0.2)
        {
            times.Add(t);
            double rr;
            if (o.RrIntervalsSeconds is { Count: > 0 } list)
            {
                rr = list[k % list.Count];
            }
            else
            {
                rr = 60.0 / o.HeartRateBpm * (1 + o.RrVariability * NoiseSources.NextGaussian(rng));
            }

            t += Math.Max(0.25, rr);
            k++;
        }

        return times;
    }

    private static void AddWave(double[] x, double fs, double centre, double width, double amplitude)
    {
        var from = Math.Max(0, (int)Math.Floor((centre - 5 * width) * fs));
        var to = Math.Min(x.Length - 1, (int)Math.Ceiling((centre + 5 * width) * fs));
        for (var i = from; i <= to; i++)
        {
            var z = (i / fs - centre) / width;
            x[i] += amplitude * Math.Exp(-0.5 * z * z);
        }
    }
}
