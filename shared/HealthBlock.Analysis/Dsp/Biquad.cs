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
        SteadyState(reverse ? x[n - 1] : x[0], out var z1, out var z2);
        for (var k = 0; k < n; k++)
        {
            var i = reverse ? n - 1 - k : k;
            y[i] = Step(x[i], ref z1, ref z2);
        }
    }

    /// <summary>Second-order IIR notch at <paramref name="centreHz"/> with quality factor <paramref name="q"/>.</summary>
    public static Biquad Notch(double centreHz, double q, double fs)
    {
        var f = Math.Clamp(centreHz, 1e-6 * fs, 0.49 * fs);
        var w = 2 * Math.PI * f / fs;
        var alpha = Math.Sin(w) / (2 * q);
        var cosW = Math.Cos(w);
        return new Biquad(1, -2 * cosW, 1, 1 + alpha, -2 * cosW, 1 - alpha);
    }

    /// <summary>Gain at DC, sum(b) / sum(a).</summary>
    public double DcGain => (_b0 + _b1 + _b2) / (1 + _a1 + _a2);

    /// <summary>
    /// Filters one sample (direct form II transposed), updating the two state variables.
    /// </summary>
    public double Step(double x, ref double z1, ref double z2)
    {
        var y = _b0 * x + z1;
        z1 = _b1 * x - _a1 * y + z2;
        z2 = _b2 * x - _a2 * y;
        return y;
    }

    /// <summary>Sets the state as if <paramref name="x"/> had been applied forever (no start-up transient for a DC offset).</summary>
    public void SteadyState(double x, out double z1, out double z2)
    {
        var yss = DcGain * x;
        z1 = (_b1 + _b2) * x - (_a1 + _a2) * yss;
        z2 = _b2 * x - _a2 * yss;
    }

    /// <summary>Phase of the frequency response at <paramref name="frequencyHz"/>, radians (unwrapped locally).</summary>
    public double Phase(double frequencyHz, double fs)
    {
        var w = 2 * Math.PI * frequencyHz / fs;
        var num = new System.Numerics.Complex(_b0 + _b1 * Math.Cos(w) + _b2 * Math.Cos(2 * w), -(_b1 * Math.Sin(w) + _b2 * Math.Sin(2 * w)));
        var den = new System.Numerics.Complex(1 + _a1 * Math.Cos(w) + _a2 * Math.Cos(2 * w), -(_a1 * Math.Sin(w) + _a2 * Math.Sin(2 * w)));
        return (num / den).Phase;
    }

    /// <summary>Magnitude of the frequency response at <paramref name="frequencyHz"/>.</summary>
    public double Magnitude(double frequencyHz, double fs)
    {
        var w = 2 * Math.PI * frequencyHz / fs;
        var num = new System.Numerics.Complex(_b0 + _b1 * Math.Cos(w) + _b2 * Math.Cos(2 * w), -(_b1 * Math.Sin(w) + _b2 * Math.Sin(2 * w)));
        var den = new System.Numerics.Complex(1 + _a1 * Math.Cos(w) + _a2 * Math.Cos(2 * w), -(_a1 * Math.Sin(w) + _a2 * Math.Sin(2 * w)));
        return (num / den).Magnitude;
    }

    /// <summary>Group delay at <paramref name="frequencyHz"/>, samples (numerical derivative of the phase).</summary>
    public double GroupDelay(double frequencyHz, double fs)
    {
        var h = 1e-3 * fs / 1000;
        var d = Phase(frequencyHz + h, fs) - Phase(frequencyHz - h, fs);
        d = Math.IEEERemainder(d, 2 * Math.PI);
        return -d / (2 * Math.PI * 2 * h / fs);
    }

    private static (double CosW, double Alpha) Prewarp(double cutoffHz, double fs)
    {
        var f = Math.Clamp(cutoffHz, 1e-6 * fs, 0.49 * fs);
        var w = 2 * Math.PI * f / fs;
        return (Math.Cos(w), Math.Sin(w) / (2 * Math.Sqrt(0.5)));
    }
}
