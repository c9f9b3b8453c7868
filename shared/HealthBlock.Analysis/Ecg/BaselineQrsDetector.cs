namespace HealthBlock.Analysis;

/// <summary>
/// BASELINE ONLY - a plain textbook QRS detector, kept as the floor <see cref="QrsDetector"/> must beat in the
/// benchmarks. Do not use it for analysis. Band-pass 5-15 Hz (causal second-order Butterworth high-pass and low-pass),
/// five-point derivative, squaring, 150 ms moving-window integration, local maxima at least 200 ms apart, and one
/// adaptive threshold THR = NPK + 0.25 (SPK − NPK) with SPK and NPK updated by 1/8 of each peak (Pan and Tompkins,
/// IEEE TBME 32(3), 1985, without its search-back, T-wave and dual-channel refinements). The R peak is the largest
/// band-passed deflection in the 150 ms that led to the integration peak.
/// </summary>
public static class BaselineQrsDetector
{
    /// <summary>Detects R peaks.</summary>
    /// <param name="signal">ECG samples, any unit (non-finite samples are taken as 0).</param>
    /// <param name="samplingFrequency">Samples per second (50 to 20 000).</param>
    /// <returns>R-peak sample indices, ascending.</returns>
    public static int[] Detect(ReadOnlySpan<double> signal, double samplingFrequency)
    {
        QrsDetector.CheckSamplingFrequency(samplingFrequency);
        var fs = samplingFrequency;
        var n = signal.Length;
        var band = new double[n];
        for (var i = 0; i < n; i++)
        {
            band[i] = double.IsFinite(signal[i]) ? signal[i] : 0;
        }

        Biquad.HighPass(5, fs).Apply(band, band);
        Biquad.LowPass(Math.Min(15, 0.4 * fs), fs).Apply(band, band);
        var width = Math.Max(1, (int)(0.150 * fs));
        var mwi = new double[n];
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            var d = i >= 4 ? (2 * band[i] + band[i - 1] - band[i - 3] - 2 * band[i - 4]) * fs / 8 : 0;
            sum += d * d - (i >= width ? Squared(band, i - width, fs) : 0);
            mwi[i] = Math.Max(0, sum / width);
        }

        var refractory = (int)(0.2 * fs);
        var learn = Math.Min(n, (int)(2 * fs));
        double spk = 0, npk = 0;
        for (var i = 0; i < learn; i++)
        {
            spk = Math.Max(spk, mwi[i] / 3);
            npk += mwi[i] / (2.0 * learn);
        }

        var peaks = new List<int>();
        var lastPeak = -refractory;
        for (var i = 1; i + 1 < n; i++)
        {
            if (!(mwi[i] > mwi[i - 1] && mwi[i] >= mwi[i + 1]) || i - lastPeak < refractory)
            {
                continue;
            }

            if (mwi[i] > npk + 0.25 * (spk - npk))
            {
                spk = 0.125 * mwi[i] + 0.875 * spk;
                var r = i;
                for (var k = Math.Max(0, i - width); k <= i; k++)
                {
                    r = Math.Abs(band[k]) > Math.Abs(band[r]) ? k : r;
                }

                peaks.Add(r);
                lastPeak = i;
            }
            else
            {
                npk = 0.125 * mwi[i] + 0.875 * npk;
            }
        }

        return [.. peaks];
    }

    private static double Squared(double[] band, int i, double fs)
    {
        var d = i >= 4 ? (2 * band[i] + band[i - 1] - band[i - 3] - 2 * band[i - 4]) * fs / 8 : 0;
        return d * d;
    }
}
