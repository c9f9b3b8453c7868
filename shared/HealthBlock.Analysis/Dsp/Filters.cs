namespace HealthBlock.Analysis;

/// <summary>Whole-array filtering helpers used by the detector and the quality checks.</summary>
internal static class Filters
{
    /// <summary>Zero-phase band-pass: Butterworth high-pass then low-pass, each run forwards and backwards.</summary>
    public static double[] BandPassZeroPhase(ReadOnlySpan<double> x, double lowHz, double highHz, double fs)
    {
        var y = x.ToArray();
        if (lowHz > 0)
        {
            var hp = Biquad.HighPass(lowHz, fs);
            hp.Apply(y, y);
            hp.Apply(y, y, reverse: true);
        }

        if (highHz > 0 && highHz < fs / 2)
        {
            var lp = Biquad.LowPass(highHz, fs);
            lp.Apply(y, y);
            lp.Apply(y, y, reverse: true);
        }

        return y;
    }

    /// <summary>Zero-phase Butterworth high-pass (forwards and backwards).</summary>
    public static double[] HighPassZeroPhase(ReadOnlySpan<double> x, double cutoffHz, double fs) =>
        BandPassZeroPhase(x, cutoffHz, 0, fs);

    /// <summary>Five-point central derivative in units per second.</summary>
    public static double[] Derivative(ReadOnlySpan<double> x, double fs)
    {
        var n = x.Length;
        var d = new double[n];
        var scale = fs / 8.0;
        for (var i = 0; i < n; i++)
        {
            var m2 = x[Math.Max(i - 2, 0)];
            var m1 = x[Math.Max(i - 1, 0)];
            var p1 = x[Math.Min(i + 1, n - 1)];
            var p2 = x[Math.Min(i + 2, n - 1)];
            d[i] = (2 * (p1 - m1) + (p2 - m2)) * scale;
        }

        return d;
    }

    /// <summary>Centred moving average of odd width <paramref name="width"/> (edges use the available samples).</summary>
    public static double[] CentredMovingAverage(ReadOnlySpan<double> x, int width)
    {
        var n = x.Length;
        var y = new double[n];
        if (n == 0)
        {
            return y;
        }

        var half = Math.Max(width, 1) / 2;
        var prefix = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            prefix[i + 1] = prefix[i] + x[i];
        }

        for (var i = 0; i < n; i++)
        {
            var lo = Math.Max(0, i - half);
            var hi = Math.Min(n - 1, i + half);
            y[i] = (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
        }

        return y;
    }

    /// <summary>Copies <paramref name="x"/> replacing NaN and infinities by the previous finite value (0 at the start)
    /// and clamping magnitudes to <paramref name="limit"/> so that later arithmetic stays finite.</summary>
    public static double[] Sanitise(ReadOnlySpan<double> x, double limit = 1e6)
    {
        var y = new double[x.Length];
        var last = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            var v = x[i];
            if (double.IsFinite(v))
            {
                last = Math.Clamp(v, -limit, limit);
            }

            y[i] = last;
        }

        return y;
    }
}
