namespace HealthBlock.Analysis;

/// <summary>
/// Adds calibrated noise to a clean ECG the way the WFDB program <c>nst</c> does (Moody, Muldrow and Mark, "A noise
/// stress test for arrhythmia detectors", Computers in Cardiology 11:381-384, 1984; the <c>nst</c> and <c>sigamp</c>
/// manual pages of the WFDB Applications Guide).
/// </summary>
/// <remarks>
/// <para><b>Signal power S</b> (<c>sigamp -a</c>): the peak-to-peak amplitude (largest minus smallest sample from
/// 50 ms before to 50 ms after the annotation, both ends included) of each of the first 300 beats that WFDB's
/// <c>map1</c> calls NORMAL (N, L, R, a, J, A, S, j, /, Q, B, e, n, f); the smallest and largest n/20 are discarded
/// and the rest averaged; S = that amplitude² / 8 (the power of a sinusoid of that peak-to-peak amplitude).</para>
/// <para><b>Noise power N</b> (<c>sigamp</c> without annotations): the first 300 one-second chunks of the noise record;
/// per chunk, the RMS difference between the samples and the chunk's mean; the smallest and largest n/20 discarded, the
/// rest averaged; N = that RMS². The chunk mean makes N insensitive to very slow drift, as <c>nst</c> intends.</para>
/// <para><b>Gain</b>: a = √(S / (N · 10^(SNR/10))).</para>
/// <para><b>Protocol</b> (<c>nst</c>'s standard one): no noise for the first 5 minutes (a learning period), then
/// 2-minute noisy and clean segments alternately to the end of the record. At each change of gain the offset
/// b is recomputed so that the output does not step: b_new = b_old + (a_old − a_new) · noise(t).</para>
/// <para><b>Lead-off</b> (<see cref="StressNoiseKind.LeadOff"/>, not part of <c>nst</c>): in each noisy segment two
/// drop-outs of 1-6 s at random times, during which the output sits at the rail (+5 mV) with no flag, followed by an
/// exponential return (τ 0.25 s) from the rail to the signal.</para>
/// </remarks>
public static class NoiseStressTest
{
    /// <summary>Noise-free learning period at the start, seconds.</summary>
    public const double LearningSeconds = 300;

    /// <summary>Length of each noisy and clean segment after the learning period, seconds.</summary>
    public const double SegmentSeconds = 120;

    /// <summary>Amplifier rail during a lead-off drop-out, mV.</summary>
    public const double RailMv = 5.0;

    private const int Measurements = 300;

    /// <summary>S from the clean signal and its reference annotations (see remarks).</summary>
    /// <param name="clean">Clean signal.</param>
    /// <param name="fs">Samples per second.</param>
    /// <param name="annotations">Reference annotations of the clean signal.</param>
    /// <returns>S, in the signal's units squared.</returns>
    public static double SignalPower(ReadOnlySpan<double> clean, double fs, IEnumerable<WfdbAnnotation> annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        var half = (long)Math.Round(0.05 * fs);
        var amplitudes = new List<double>();
        foreach (var a in annotations)
        {
            if (amplitudes.Count == Measurements)
            {
                break;
            }

            if (!IsMap1Normal(a.Code) || a.Sample - half < 0 || a.Sample + half >= clean.Length)
            {
                continue;
            }

            double min = double.MaxValue, max = double.MinValue;
            for (var i = a.Sample - half; i <= a.Sample + half; i++)
            {
                min = Math.Min(min, clean[(int)i]);
                max = Math.Max(max, clean[(int)i]);
            }

            amplitudes.Add(max - min);
        }

        var pp = TrimmedMean(amplitudes);
        return pp * pp / 8;
    }

    /// <summary>N of an unscaled noise record (see remarks).</summary>
    /// <param name="noise">Noise samples.</param>
    /// <param name="fs">Samples per second.</param>
    /// <returns>N, in the noise's units squared.</returns>
    public static double NoisePower(ReadOnlySpan<double> noise, double fs)
    {
        var chunk = Math.Max(1, (int)Math.Round(fs));
        var rms = new List<double>();
        for (var start = 0; start + chunk <= noise.Length && rms.Count < Measurements; start += chunk)
        {
            var window = noise.Slice(start, chunk);
            var mean = 0.0;
            foreach (var v in window)
            {
                mean += v;
            }

            mean /= chunk;
            var sum = 0.0;
            foreach (var v in window)
            {
                sum += (v - mean) * (v - mean);
            }

            rms.Add(Math.Sqrt(sum / chunk));
        }

        var n = TrimmedMean(rms);
        return n * n;
    }

    /// <summary>The noisy segments of the standard protocol for a record of <paramref name="length"/> samples.</summary>
    /// <param name="length">Samples in the record.</param>
    /// <param name="fs">Samples per second.</param>
    /// <returns>Ranges <c>[Start, End)</c>.</returns>
    public static IReadOnlyList<(long Start, long End)> NoisySegments(long length, double fs)
    {
        var segments = new List<(long, long)>();
        var segment = (long)Math.Round(SegmentSeconds * fs);
        for (var start = (long)Math.Round(LearningSeconds * fs); start < length; start += 2 * segment)
        {
            segments.Add((start, Math.Min(length, start + segment)));
        }

        return segments;
    }

    /// <summary>Builds a noise stress record at <paramref name="snrDb"/>.</summary>
    /// <param name="clean">Clean signal (mV for <see cref="StressNoiseKind.LeadOff"/>, whose rail is in mV).</param>
    /// <param name="fs">Samples per second.</param>
    /// <param name="annotations">Reference annotations of the clean signal (for S).</param>
    /// <param name="noise">Unscaled noise, at least as long as the clean signal.</param>
    /// <param name="snrDb">Signal-to-noise ratio in the noisy segments, dB.</param>
    /// <param name="leadOffSeed">When not null, lead-off drop-outs are placed in the noisy segments from this seed.</param>
    /// <returns>The noisy record and how it was made.</returns>
    /// <exception cref="ArgumentException">The noise is shorter than the signal, or S or N is zero.</exception>
    public static NoiseStressRecord Build(
        ReadOnlySpan<double> clean, double fs, IEnumerable<WfdbAnnotation> annotations, ReadOnlySpan<double> noise, double snrDb, int? leadOffSeed = null)
    {
        if (noise.Length < clean.Length)
        {
            throw new ArgumentException($"the noise ({noise.Length} samples) is shorter than the signal ({clean.Length})", nameof(noise));
        }

        var s = SignalPower(clean, fs, annotations);
        var n = NoisePower(noise, fs);
        if (!(s > 0) || !(n > 0))
        {
            throw new ArgumentException("signal or noise power is zero: no normal beats measured, or a silent noise record", nameof(annotations));
        }

        var gain = Math.Sqrt(s / (n * Math.Pow(10, snrDb / 10)));
        var segments = NoisySegments(clean.Length, fs);
        var y = clean.ToArray();
        var a = 0.0;
        var b = 0.0;
        var next = 0;
        for (var i = 0; i < y.Length; i++)
        {
            var noisy = next < segments.Count && i >= segments[next].Start;
            var target = noisy ? gain : 0.0;
            if (target != a)
            {
                b += (a - target) * noise[i];
                a = target;
            }

            if (noisy && i == segments[next].End - 1)
            {
                next++;
            }

            y[i] += a * noise[i] + b;
        }

        var leadOff = leadOffSeed is { } seed ? AddLeadOff(y, fs, segments, seed) : [];
        return new NoiseStressRecord(y, s, n, gain, segments, leadOff);
    }

    private static List<(long Start, long End)> AddLeadOff(double[] y, double fs, IReadOnlyList<(long Start, long End)> segments, int seed)
    {
        var rng = SplitMix64.For(seed, 21);
        var result = new List<(long, long)>();
        var tau = 0.25 * fs;
        foreach (var (start, end) in segments)
        {
            var slots = new[] { (start, start + (end - start) / 2), (start + (end - start) / 2, end) };
            foreach (var (from, to) in slots)
            {
                var length = (long)(rng.NextDouble(1, 6) * fs);
                if (to - from <= length + (long)fs)
                {
                    continue;
                }

                var off = from + (long)(rng.NextDouble() * (to - from - length - (long)fs));
                for (var i = off; i < off + length; i++)
                {
                    y[i] = RailMv;
                }

                var step = RailMv - y[Math.Min(y.Length - 1, off + length)];
                for (var k = 0L; off + length + k < y.Length && k < 8 * tau; k++)
                {
                    y[off + length + k] += step * Math.Exp(-k / tau);
                }

                result.Add((off, off + length));
            }
        }

        return result;
    }

    private static double TrimmedMean(List<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        values.Sort();
        var low = values.Count / 20;
        var high = values.Count - low;
        var sum = 0.0;
        for (var j = low; j < high; j++)
        {
            sum += values[j];
        }

        return sum / (high - low);
    }

    /// <summary>WFDB <c>map1</c> NORMAL: N L R a J A S j / Q B e n f.</summary>
    private static bool IsMap1Normal(AnnotationCode code) => code is
        AnnotationCode.Normal or AnnotationCode.LeftBundleBranchBlock or AnnotationCode.RightBundleBranchBlock
        or AnnotationCode.AberratedAtrialPremature or AnnotationCode.NodalPremature or AnnotationCode.AtrialPremature
        or AnnotationCode.SupraventricularPremature or AnnotationCode.NodalEscape or AnnotationCode.Paced
        or AnnotationCode.Unknown or AnnotationCode.BundleBranchBlock or AnnotationCode.AtrialEscape
        or AnnotationCode.SupraventricularEscape or AnnotationCode.PacedFusion;
}
