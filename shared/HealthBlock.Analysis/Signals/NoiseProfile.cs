namespace HealthBlock.Analysis;

/// <summary>
/// Additive ECG noise for tests and benchmarks: white Gaussian (instrument) noise, EMG-like muscle
/// noise, mains interference and baseline wander, all in millivolts and reproducible from a seed.
/// </summary>
/// <param name="GaussianRmsMv">RMS of white Gaussian noise, mV.</param>
/// <param name="EmgRmsMv">RMS of EMG-like noise (Gaussian noise high-passed at 20 Hz, amplitude-modulated by
/// random muscle bursts), mV.</param>
/// <param name="MainsAmplitudeMv">Peak amplitude of the mains sinusoid, mV.</param>
/// <param name="MainsHz">Mains frequency, Hz (50 or 60).</param>
/// <param name="WanderAmplitudeMv">Peak amplitude of baseline wander (two sinusoids between 0.1 and 0.5 Hz), mV.</param>
/// <param name="Seed">Seed of the random generator; equal seeds give equal noise.</param>
public sealed record NoiseProfile(
    double GaussianRmsMv,
    double EmgRmsMv,
    double MainsAmplitudeMv,
    double MainsHz,
    double WanderAmplitudeMv,
    int Seed)
{
    /// <summary>
    /// A realistic ambulatory profile for a lead with a QRS of about 1 mV: Gaussian 0.04 mV RMS,
    /// EMG 0.05 mV RMS, 50 Hz mains 0.05 mV peak (0.035 mV RMS), baseline wander 0.3 mV peak.
    /// Broadband noise RMS ≈ 0.073 mV, i.e. ≈ 7% of a 1 mV QRS (SNR ≈ 23 dB against the QRS
    /// amplitude), plus the wander.
    /// </summary>
    /// <param name="seed">Random seed.</param>
    /// <returns>The profile.</returns>
    public static NoiseProfile Realistic(int seed) => new(0.04, 0.05, 0.05, 50.0, 0.3, seed);

    /// <summary>RMS of the broadband part (Gaussian + EMG + mains), mV, wander excluded.</summary>
    public double BroadbandRmsMv =>
        Math.Sqrt(GaussianRmsMv * GaussianRmsMv + EmgRmsMv * EmgRmsMv + MainsAmplitudeMv * MainsAmplitudeMv / 2);

    /// <summary>Returns a noisy copy of <paramref name="signalMv"/>.</summary>
    /// <param name="signalMv">Clean signal, mV.</param>
    /// <param name="samplingFrequency">Samples per second.</param>
    /// <returns>A new array: signal plus noise.</returns>
    public double[] Apply(ReadOnlySpan<double> signalMv, double samplingFrequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplingFrequency);
        var rng = new Random(Seed);
        var y = signalMv.ToArray();
        var noise = NoiseSources.Gaussian(y.Length, GaussianRmsMv, rng);
        var emg = NoiseSources.Emg(y.Length, samplingFrequency, EmgRmsMv, rng);
        var mains = NoiseSources.Sinusoid(y.Length, samplingFrequency, MainsHz, MainsAmplitudeMv, rng.NextDouble() * 2 * Math.PI);
        var wander = NoiseSources.BaselineWander(y.Length, samplingFrequency, WanderAmplitudeMv, rng);
        for (var i = 0; i < y.Length; i++)
        {
            y[i] += noise[i] + emg[i] + mains[i] + wander[i];
        }

        return y;
    }
}
