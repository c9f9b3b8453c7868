namespace HealthBlock.Analysis;

/// <summary>
/// A second-order IIR section (direct form II transposed) with Butterworth (Q = 1/√2) low-pass and
/// high-pass designs by the bilinear transform with frequency pre-warping.
/// </summary>
internal readonly struct Biquad
{
    private readonly double _b0, _b1, _b2, _a1, _a2;

    private Biquad(double b0, double b1, double b2, double a0, double a1, double a2)
    {
        _b0 = b0 / a0;
        _b1 = b1 / a0;
        _b2 = b2 / a0;
        _a1 = a1 / a0;
        _a2 = a2 / a0;
    }

    /// <summary>Butterworth low-pass at <paramref name="cutoffHz"/>.</summary>
    public static Biquad LowPass(double cutoffHz, double fs)
    {
        var (cosW, alpha) = Prewarp(cutoffHz, fs);
        return new Biquad((1 - cosW) / 2, 1 - cosW, (1 - cosW) / 2, 1 + alpha, -2 * cosW, 1 - alpha);
    }

    /// <summary>Butterworth high-pass at <paramref name="cutoffHz"/>.</summary>
    public static Biquad HighPass(double cutoffHz, double fs)
    {
        var (cosW, alpha) = Prewarp(cutoffHz, fs);
        return new Biquad((1 + cosW) / 2, -(1 + cosW), (1 + cosW) / 2, 1 + alpha, -2 * cosW, 1 - alpha);
    }

    /// <summary>
    /// Filters <paramref name="x"/> into <paramref name="y"/> (may be the same buffer), forwards or backwards.
    /// The state starts as if the first sample had been applied forever, so a DC offset causes no start-up transient.
    /// </summary>
    public void Apply(ReadOnlySpan<double> x, Span<double> y, bool reverse = false)
    {
        var n = x.Length;
        if (n == 0)
        {
            return;
        }

        // Initial state for a steady input equal to the first sample (DC gain g = sum(b)/sum(a)).
        var first = reverse ? x[n - 1] : x[0];
        var dcGain = (_b0 + _b1 + _b2) / (1 + _a1 + _a2);
        var yss = dcGain * first;
        var z1 = (_b1 + _b2) * first - (_a1 + _a2) * yss;
        var z2 = _b2 * first - _a2 * yss;
        for (var k = 0; k < n; k++)
        {
            var i = reverse ? n - 1 - k : k;
            var xi = x[i];
            var yi = _b0 * xi + z1;
            z1 = _b1 * xi - _a1 * yi + z2;
            z2 = _b2 * xi - _a2 * yi;
            y[i] = yi;
        }
    }

    private static (double CosW, double Alpha) Prewarp(double cutoffHz, double fs)
    {
        var f = Math.Clamp(cutoffHz, 1e-6 * fs, 0.49 * fs);
        var w = 2 * Math.PI * f / fs;
        return (Math.Cos(w), Math.Sin(w) / (2 * Math.Sqrt(0.5)));
    }
}
