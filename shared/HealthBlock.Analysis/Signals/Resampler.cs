namespace HealthBlock.Analysis;

/// <summary>
/// Rational-ratio polyphase resampler (e.g. 360 Hz → 250 Hz) with a Kaiser-windowed sinc
/// anti-aliasing low-pass. Intended for tests, benchmarks and for bringing reference databases to
/// the wearable sampling rate.
/// </summary>
/// <remarks>
/// The rate ratio <c>to/from</c> is reduced to <c>L/M</c>; output sample <c>n</c> sits at input time
/// <c>n·M/L</c> and is a 32-tap weighted sum of the nearest input samples, using one of <c>L</c>
/// precomputed phase filters. The low-pass cut-off is 0.45 × the lower of the two rates
/// (112.5 Hz for 360 → 250 Hz), so ECG content is preserved and nothing aliases. Each phase is
/// normalised to unit DC gain; samples beyond the ends are taken as the end values.
/// </remarks>
public static class Resampler
{
    private const int HalfTaps = 16;
    private const double KaiserBeta = 8.0;

    /// <summary>Resamples <paramref name="x"/> from <paramref name="fromHz"/> to <paramref name="toHz"/>.</summary>
    /// <param name="x">Input samples.</param>
    /// <param name="fromHz">Input rate, Hz (positive integer).</param>
    /// <param name="toHz">Output rate, Hz (positive integer).</param>
    /// <returns><c>floor(length · toHz / fromHz)</c> output samples.</returns>
    public static double[] Resample(ReadOnlySpan<double> x, int fromHz, int toHz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromHz);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toHz);
        if (x.Length == 0)
        {
            return [];
        }

        if (fromHz == toHz)
        {
            return x.ToArray();
        }

        var g = Gcd(fromHz, toHz);
        var up = toHz / g;
        var down = fromHz / g;
        if (up > 10_000)
        {
            throw new ArgumentException($"Rate ratio {toHz}/{fromHz} needs too many phases ({up}).", nameof(toHz));
        }

        var cutoff = 0.45 * Math.Min(fromHz, toHz) / fromHz; // cycles per input sample
        var phases = BuildPhases(up, cutoff);
        var outLength = (int)Math.Min(int.MaxValue, (long)x.Length * toHz / fromHz);
        var y = new double[outLength];
        var last = x.Length - 1;
        for (var n = 0; n < outLength; n++)
        {
            var p = (long)n * down;
            var baseIndex = (int)(p / up);
            var taps = phases[(int)(p % up)];
            var sum = 0.0;
            var start = baseIndex - HalfTaps + 1;
            if (start >= 0 && start + taps.Length - 1 <= last)
            {
                for (var k = 0; k < taps.Length; k++)
                {
                    sum += taps[k] * x[start + k];
                }
            }
            else
            {
                for (var k = 0; k < taps.Length; k++)
                {
                    sum += taps[k] * x[Math.Clamp(start + k, 0, last)];
                }
            }

            y[n] = sum;
        }

        return y;
    }

    /// <summary>Maps a sample index from one rate to another (rounded to the nearest output sample).</summary>
    /// <param name="sample">Sample index at <paramref name="fromHz"/>.</param>
    /// <param name="fromHz">Original rate.</param>
    /// <param name="toHz">Target rate.</param>
    /// <returns>The corresponding sample index at <paramref name="toHz"/>.</returns>
    public static long MapSample(long sample, double fromHz, double toHz) =>
        (long)Math.Round(sample * toHz / fromHz, MidpointRounding.AwayFromZero);

    private static double[][] BuildPhases(int up, double cutoff)
    {
        var phases = new double[up][];
        for (var phase = 0; phase < up; phase++)
        {
            var frac = (double)phase / up; // output lies frac samples after the base input sample
            var taps = new double[2 * HalfTaps];
            var sum = 0.0;
            for (var k = 0; k < taps.Length; k++)
            {
                var u = k - (HalfTaps - 1) - frac; // input offset relative to the output time
                var w = Kaiser(u / HalfTaps);
                var h = 2 * cutoff * Sinc(2 * cutoff * u) * w;
                taps[k] = h;
                sum += h;
            }

            for (var k = 0; k < taps.Length; k++)
            {
                taps[k] /= sum;
            }

            phases[phase] = taps;
        }

        return phases;
    }

    private static double Sinc(double v) => Math.Abs(v) < 1e-12 ? 1.0 : Math.Sin(Math.PI * v) / (Math.PI * v);

    private static double Kaiser(double r)
    {
        if (Math.Abs(r) > 1)
        {
            return 0;
        }

        return BesselI0(KaiserBeta * Math.Sqrt(1 - r * r)) / BesselI0(KaiserBeta);
    }

    private static double BesselI0(double v)
    {
        var sum = 1.0;
        var term = 1.0;
        var q = v * v / 4;
        for (var k = 1; k < 50; k++)
        {
            term *= q / (k * k);
            sum += term;
            if (term < 1e-16 * sum)
            {
                break;
            }
        }

        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
