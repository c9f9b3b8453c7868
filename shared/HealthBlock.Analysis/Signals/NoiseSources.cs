namespace HealthBlock.Analysis;

/// <summary>Individual seeded noise generators used by <see cref="NoiseProfile"/> and the synthetic ECG.</summary>
public static class NoiseSources
{
    /// <summary>White Gaussian noise with the given RMS.</summary>
    /// <param name="length">Number of samples.</param>
    /// <param name="rms">Standard deviation.</param>
    /// <param name="rng">Random source.</param>
    /// <returns>The noise samples.</returns>
    public static double[] Gaussian(int length, double rms, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var y = new double[length];
        for (var i = 0; i < length; i++)
        {
            y[i] = rms * NextGaussian(rng);
        }

        return y;
    }

    /// <summary>
    /// EMG-like muscle noise: Gaussian noise high-passed at 20 Hz, multiplied by an envelope of random
    /// bursts (0.3-1.5 s long, resting level 0.4), scaled to the requested overall RMS.
    /// </summary>
    /// <param name="length">Number of samples.</param>
    /// <param name="fs">Samples per second.</param>
    /// <param name="rms">Overall RMS.</param>
    /// <param name="rng">Random source.</param>
    /// <returns>The noise samples.</returns>
    public static double[] Emg(int length, double fs, double rms, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var y = new double[length];
        if (length == 0 || rms == 0)
        {
            return y;
        }

        for (var i = 0; i < length; i++)
        {
            y[i] = NextGaussian(rng);
        }

        Biquad.HighPass(Math.Min(20.0, 0.4 * fs), fs).Apply(y, y);
        var envelope = new double[length];
        Array.Fill(envelope, 0.4);
        var t = 0;
        while (t < length)
        {
            t += (int)(fs * (0.5 + 3.0 * rng.NextDouble()));
            var burst = (int)(fs * (0.3 + 1.2 * rng.NextDouble()));
            var level = 0.6 + 0.8 * rng.NextDouble();
            for (var k = 0; k < burst && t + k < length; k++)
            {
                envelope[t + k] = 0.4 + level * Math.Sin(Math.PI * k / burst);
            }

            t += burst;
        }

        var sumSq = 0.0;
        for (var i = 0; i < length; i++)
        {
            y[i] *= envelope[i];
            sumSq += y[i] * y[i];
        }

        var scale = sumSq > 0 ? rms / Math.Sqrt(sumSq / length) : 0;
        for (var i = 0; i < length; i++)
        {
            y[i] *= scale;
        }

        return y;
    }

    /// <summary>A sinusoid (e.g. 50/60 Hz mains interference).</summary>
    /// <param name="length">Number of samples.</param>
    /// <param name="fs">Samples per second.</param>
    /// <param name="frequencyHz">Frequency, Hz.</param>
    /// <param name="amplitude">Peak amplitude.</param>
    /// <param name="phase">Initial phase, radians.</param>
    /// <returns>The samples.</returns>
    public static double[] Sinusoid(int length, double fs, double frequencyHz, double amplitude, double phase)
    {
        var y = new double[length];
        var w = 2 * Math.PI * frequencyHz / fs;
        for (var i = 0; i < length; i++)
        {
            y[i] = amplitude * Math.Sin(w * i + phase);
        }

        return y;
    }

    /// <summary>
    /// Baseline wander: two sinusoids with random frequencies in 0.1-0.5 Hz (respiration and motion)
    /// and random phases, weighted 0.7 and 0.3 so the peak never exceeds <paramref name="amplitude"/>.
    /// </summary>
    /// <param name="length">Number of samples.</param>
    /// <param name="fs">Samples per second.</param>
    /// <param name="amplitude">Peak amplitude.</param>
    /// <param name="rng">Random source.</param>
    /// <returns>The samples.</returns>
    public static double[] BaselineWander(int length, double fs, double amplitude, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var a = Sinusoid(length, fs, 0.1 + 0.4 * rng.NextDouble(), 0.7 * amplitude, rng.NextDouble() * 2 * Math.PI);
        var b = Sinusoid(length, fs, 0.1 + 0.4 * rng.NextDouble(), 0.3 * amplitude, rng.NextDouble() * 2 * Math.PI);
        for (var i = 0; i < length; i++)
        {
            a[i] += b[i];
        }

        return a;
    }

    /// <summary>A standard normal value that depends only on <paramref name="seed"/> and <paramref name="index"/>, so that
    /// noise can be drawn for any sample in any order (SplitMix64 and Box-Muller).</summary>
    /// <param name="seed">Seed of the noise.</param>
    /// <param name="index">Sample index.</param>
    /// <returns>A sample of N(0, 1).</returns>
    public static double GaussianAt(int seed, long index) => SplitMix64.GaussianAt(seed, index);

    /// <summary>A standard normal deviate (Box-Muller).</summary>
    /// <param name="rng">Random source.</param>
    /// <returns>A sample of N(0, 1).</returns>
    public static double NextGaussian(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
