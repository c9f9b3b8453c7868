namespace HealthBlock.Analysis;

/// <summary>
/// Generated noise records for the noise stress test, after the three noise types of the MIT-BIH Noise Stress Test
/// Database (baseline wander, muscle artefact, electrode motion; Moody, Muldrow and Mark 1984) plus mains and a mix.
/// These are models, not recordings: each is described by its parameters below and reproducible from its seed.
/// The scale is arbitrary (about unit RMS); <see cref="NoiseStressTest"/> sets the gain for a target SNR.
/// </summary>
public static class StressNoise
{
    /// <summary>Generates <paramref name="length"/> samples of one kind of noise (<see cref="StressNoiseKind.LeadOff"/>
    /// gives the wearable mix; its drop-outs are placed by <see cref="NoiseStressTest"/>).</summary>
    /// <param name="kind">The noise type.</param>
    /// <param name="length">Samples.</param>
    /// <param name="fs">Samples per second.</param>
    /// <param name="seed">Seed: equal seeds give equal noise.</param>
    /// <returns>The noise samples.</returns>
    public static double[] Generate(StressNoiseKind kind, int length, double fs, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fs);
        return kind switch
        {
            StressNoiseKind.BaselineWander => Wander(length, fs, seed),
            StressNoiseKind.MuscleArtefact => Muscle(length, fs, seed),
            StressNoiseKind.ElectrodeMotion => ElectrodeMotion(length, fs, seed),
            StressNoiseKind.Mains => Mains(length, fs, seed),
            StressNoiseKind.Wearable or StressNoiseKind.LeadOff => Mix(length, fs, seed),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown noise kind"),
        };
    }

    /// <summary>Baseline wander: Gaussian noise low-passed at 0.4 Hz (fourth order) plus a respiration sinusoid of
    /// 0.2-0.33 Hz whose amplitude varies by ±50 % over tens of seconds; unit RMS.</summary>
    internal static double[] Wander(int length, double fs, int seed)
    {
        var rng = SplitMix64.For(seed, 11);
        var drift = Filtered(length, fs, ref rng, 0, 0.4);
        var f = rng.NextDouble(0.2, 1.0 / 3);
        var phase = rng.NextDouble() * 2 * Math.PI;
        for (var i = 0; i < length; i++)
        {
            var t = i / fs;
            drift[i] += 0.8 * (1 + 0.5 * Math.Sin(2 * Math.PI * 0.02 * t)) * Math.Sin(2 * Math.PI * f * t + phase);
        }

        return Normalised(drift);
    }

    /// <summary>Muscle artefact: Gaussian noise band-passed to 10-100 Hz (second-order edges), amplitude-modulated by a
    /// resting level of 0.5 and random contractions (0.3-1.5 s long, peak 0.5-1.5, 0.5-3 s apart); unit RMS.</summary>
    internal static double[] Muscle(int length, double fs, int seed)
    {
        var rng = SplitMix64.For(seed, 12);
        var y = Filtered(length, fs, ref rng, 10, Math.Min(100, 0.45 * fs));
        var envelope = new double[length];
        Array.Fill(envelope, 0.5);
        var t = 0L;
        while (t < length)
        {
            t += (long)(fs * rng.NextDouble(0.5, 3.0));
            var burst = (long)(fs * rng.NextDouble(0.3, 1.5));
            var level = rng.NextDouble(0.5, 1.5);
            for (var k = 0L; k < burst && t + k < length; k++)
            {
                envelope[t + k] = 0.5 + level * Math.Sin(Math.PI * k / burst);
            }

            t += burst;
        }

        for (var i = 0; i < length; i++)
        {
            y[i] *= envelope[i];
        }

        return Normalised(y);
    }

    /// <summary>
    /// Electrode motion: Poisson events at 1.2 per second, each one of: a baseline jump (45 %, rising in 10-80 ms,
    /// recovering exponentially over 0.15-1.2 s), a QRS-like bump (35 %, Gaussian or its derivative, σ 8-35 ms) or a
    /// damped 2-9 Hz oscillation (20 %, 0.2-0.6 s); amplitudes log-normal with random sign. Added to a drift (noise
    /// low-passed at 1 Hz, RMS 0.5 of the events) and 20 % (RMS) muscle noise; unit RMS overall.
    /// </summary>
    internal static double[] ElectrodeMotion(int length, double fs, int seed)
    {
        var rng = SplitMix64.For(seed, 13);
        var events = new double[length];
        var t = 0.0;
        var duration = length / fs;
        while (true)
        {
            t += -Math.Log(rng.NextDouble()) / 1.2;
            if (t >= duration)
            {
                break;
            }

            var sign = rng.NextDouble() < 0.5 ? -1.0 : 1.0;
            var amplitude = sign * Math.Exp(0.6 * rng.NextGaussian());
            var kind = rng.NextDouble();
            if (kind < 0.45)
            {
                AddJump(events, fs, t, amplitude, rng.NextDouble(0.01, 0.08), rng.NextDouble(0.15, 1.2));
            }
            else if (kind < 0.80)
            {
                AddBump(events, fs, t, amplitude, rng.NextDouble(0.008, 0.035), biphasic: rng.NextDouble() < 0.5);
            }
            else
            {
                AddRinging(events, fs, t, amplitude, rng.NextDouble(2, 9), rng.NextDouble(0.2, 0.6));
            }
        }

        Normalised(events);
        var drift = Normalised(Filtered(length, fs, ref rng, 0, 1.0));
        var muscle = Muscle(length, fs, seed ^ 0x5A5A);
        for (var i = 0; i < length; i++)
        {
            events[i] += 0.5 * drift[i] + 0.2 * muscle[i];
        }

        return Normalised(events);
    }

    /// <summary>Mains: 50 Hz (frequency wandering ±0.05 Hz) plus a 20 % third harmonic when below Nyquist, amplitude
    /// modulated by ±30 % over 20 s; unit RMS.</summary>
    internal static double[] Mains(int length, double fs, int seed)
    {
        var rng = SplitMix64.For(seed, 14);
        var phase = rng.NextDouble() * 2 * Math.PI;
        var y = new double[length];
        var theta = phase;
        for (var i = 0; i < length; i++)
        {
            var t = i / fs;
            var f = 50.0 + 0.05 * Math.Sin(2 * Math.PI * 0.01 * t);
            theta += 2 * Math.PI * f / fs;
            var a = 1 + 0.3 * Math.Sin(2 * Math.PI * 0.05 * t + phase);
            y[i] = a * Math.Sin(theta);
            if (150.0 < 0.45 * fs)
            {
                y[i] += 0.2 * a * Math.Sin(3 * theta);
            }
        }

        return Normalised(y);
    }

    /// <summary>The wearable mix: electrode motion, muscle, wander and mains with RMS weights 1, 0.6, 0.8 and 0.3
    /// (each from its own stream of the seed); unit RMS.</summary>
    internal static double[] Mix(int length, double fs, int seed)
    {
        var em = ElectrodeMotion(length, fs, seed);
        var ma = Muscle(length, fs, seed + 1);
        var bw = Wander(length, fs, seed + 2);
        var mains = Mains(length, fs, seed + 3);
        for (var i = 0; i < length; i++)
        {
            em[i] += 0.6 * ma[i] + 0.8 * bw[i] + 0.3 * mains[i];
        }

        return Normalised(em);
    }

    private static void AddJump(double[] y, double fs, double at, double amplitude, double rise, double decay)
    {
        var start = (long)(at * fs);
        var riseSamples = Math.Max(1, (long)(rise * fs));
        var end = Math.Min(y.Length, start + riseSamples + (long)(6 * decay * fs));
        for (var i = start; i < end; i++)
        {
            var k = i - start;
            y[i] += k < riseSamples
                ? amplitude * 0.5 * (1 - Math.Cos(Math.PI * k / riseSamples))
                : amplitude * Math.Exp(-(k - riseSamples) / (decay * fs));
        }
    }

    private static void AddBump(double[] y, double fs, double at, double amplitude, double sigma, bool biphasic)
    {
        var from = Math.Max(0, (long)((at - 5 * sigma) * fs));
        var to = Math.Min(y.Length - 1, (long)((at + 5 * sigma) * fs));
        for (var i = from; i <= to; i++)
        {
            var z = (i / fs - at) / sigma;
            var g = Math.Exp(-0.5 * z * z);
            y[i] += amplitude * (biphasic ? -1.65 * z * g : g);
        }
    }

    private static void AddRinging(double[] y, double fs, double at, double amplitude, double frequency, double decay)
    {
        var start = (long)(at * fs);
        var end = Math.Min(y.Length, start + (long)(5 * decay * fs));
        for (var i = start; i < end; i++)
        {
            var s = (i - start) / fs;
            y[i] += amplitude * Math.Exp(-s / decay) * Math.Sin(2 * Math.PI * frequency * s);
        }
    }

    /// <summary>Gaussian noise through second-order Butterworth high-pass (if <paramref name="lowHz"/> &gt; 0) and two
    /// low-passes at <paramref name="highHz"/>.</summary>
    private static double[] Filtered(int length, double fs, ref SplitMix64 rng, double lowHz, double highHz)
    {
        var y = new double[length];
        for (var i = 0; i < length; i++)
        {
            y[i] = rng.NextGaussian();
        }

        if (lowHz > 0)
        {
            Biquad.HighPass(lowHz, fs).Apply(y, y);
        }

        var lp = Biquad.LowPass(highHz, fs);
        lp.Apply(y, y);
        lp.Apply(y, y);
        return y;
    }

    private static double[] Normalised(double[] y)
    {
        if (y.Length == 0)
        {
            return y;
        }

        var mean = y.Average();
        var sumSq = y.Sum(v => (v - mean) * (v - mean));
        var scale = sumSq > 0 ? 1 / Math.Sqrt(sumSq / y.Length) : 0;
        for (var i = 0; i < y.Length; i++)
        {
            y[i] = (y[i] - mean) * scale;
        }

        return y;
    }
}
