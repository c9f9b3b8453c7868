namespace HealthBlock.Analysis;

/// <summary>Whole-array zero-phase filtering (tests of the noise generators use it).</summary>
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
}
