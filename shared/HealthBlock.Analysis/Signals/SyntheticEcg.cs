namespace HealthBlock.Analysis;

/// <summary>Parameters of <see cref="SyntheticEcg.Generate"/>.</summary>
public sealed record SyntheticEcgOptions
{
    /// <summary>Samples per second (default 250).</summary>
    public double SamplingFrequency { get; init; } = 250.0;

    /// <summary>Length, seconds (default 60).</summary>
    public double DurationSeconds { get; init; } = 60.0;

    /// <summary>Mean heart rate, bpm (default 70). Ignored when <see cref="RrIntervalsSeconds"/> is given.</summary>
    public double HeartRateBpm { get; init; } = 70.0;

    /// <summary>Beat-to-beat variability as a coefficient of variation of independent RR intervals
    /// (default 0.02 for sinus rhythm; about 0.15-0.25 mimics atrial fibrillation).</summary>
    public double RrVariability { get; init; } = 0.02;

    /// <summary>Explicit RR intervals, seconds, used in turn (cycled) instead of the rate; null for none.</summary>
    public IReadOnlyList<double>? RrIntervalsSeconds { get; init; }

    /// <summary>Draw P waves (default true); false adds 6 Hz fibrillatory waves instead, as in atrial fibrillation.</summary>
    public bool PWaves { get; init; } = true;

    /// <summary>R-wave amplitude, mV (default 1.2).</summary>
    public double RAmplitudeMv { get; init; } = 1.2;

    /// <summary>Widens the Q, R and S waves by this factor (default 1, QRS ≈ 70 ms; 2 gives a wide ≈ 140 ms QRS).</summary>
    public double QrsWidthScale { get; init; } = 1.0;

    /// <summary>Additive noise, or null for a clean signal.</summary>
    public NoiseProfile? Noise { get; init; }

    /// <summary>Random seed of the rhythm (default 1).</summary>
    public int Seed { get; init; } = 1;
}

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
