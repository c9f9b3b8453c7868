namespace HealthBlock.Analysis;

/// <summary>
/// QRS (R-peak) detector for single-lead ECG at any sampling rate, after Pan and Tompkins (1985)
/// with the refinements listed below.
/// </summary>
/// <remarks>
/// <para>Pipeline, all in double precision over the whole array:</para>
/// <list type="number">
/// <item>Non-finite samples are replaced by the previous finite value.</item>
/// <item>Zero-phase Butterworth band-pass 5-15 Hz (forwards and backwards, so no group delay).</item>
/// <item>Five-point derivative, squaring, and a centred 100 ms moving-window integration (MWI).</item>
/// <item>Candidate peaks: local maxima of the MWI that are the largest within ±200 ms (refractory period).</item>
/// <item>Adaptive signal/noise peak levels (SPKI/NPKI) seeded from the median of 2 s block maxima over
/// the first 10 s, threshold 1 = NPKI + 0.25 (SPKI − NPKI), threshold 2 = threshold 1 / 2.</item>
/// <item>T-wave discrimination: a candidate within 360 ms of the previous beat whose maximal slope is
/// below half of that beat's slope is a T wave (noise).</item>
/// <item>Search-back: when no beat is found for 1.66 × the median of the last eight RR intervals, the
/// largest skipped candidate above threshold 2 is taken as a beat.</item>
/// <item>Re-learning: after 3 s (and 3 RR intervals) without a beat, or after three beats in a row found
/// only by search-back, the signal level is re-seeded from the
/// next 10 s if that level is at least 1/16 of the old one, so a sudden fall in QRS amplitude is followed.</item>
/// <item>R-peak refinement: the largest band-pass (5-15 Hz) deflection near the MWI peak, then the largest
/// absolute deflection of a 0.5-40 Hz zero-phase filtered copy within ±60 ms.</item>
/// </list>
/// <para>The detector is scale-invariant (no absolute amplitude thresholds), so ADC units and millivolts
/// give identical results. It is a whole-array (offline) detector for server-side analysis; for long
/// recordings call it on consecutive windows that overlap by a few seconds.</para>
/// <para>This is an automated screening algorithm; its output is meant for review by a clinician.</para>
/// </remarks>
public sealed class QrsDetector
{
    /// <summary>Algorithm name recorded in findings.</summary>
    public const string AlgorithmName = "HealthBlock.QrsDetector (Pan-Tompkins, zero-phase, search-back, R refinement)";

    /// <summary>Algorithm version recorded in findings; bump on any change that can move a detection.</summary>
    public const string AlgorithmVersion = "1.0.0";

    /// <summary>Lowest supported sampling frequency, Hz.</summary>
    public const double MinSamplingFrequency = 50.0;

    /// <summary>Highest supported sampling frequency, Hz.</summary>
    public const double MaxSamplingFrequency = 20_000.0;

    private readonly QrsDetectorOptions _options;

    /// <summary>Creates a detector for one sampling frequency.</summary>
    /// <param name="samplingFrequency">Samples per second (50 to 20 000).</param>
    /// <param name="options">Tuning parameters; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">When the frequency is out of range.</exception>
    public QrsDetector(double samplingFrequency, QrsDetectorOptions? options = null)
    {
        if (!double.IsFinite(samplingFrequency)
            || samplingFrequency < MinSamplingFrequency
            || samplingFrequency > MaxSamplingFrequency)
        {
            throw new ArgumentOutOfRangeException(
                nameof(samplingFrequency), samplingFrequency,
                $"Sampling frequency must be between {MinSamplingFrequency} and {MaxSamplingFrequency} Hz.");
        }

        SamplingFrequency = samplingFrequency;
        _options = options ?? new QrsDetectorOptions();
    }

    /// <summary>Samples per second this detector was created for.</summary>
    public double SamplingFrequency { get; }

    /// <summary>Detects R peaks (convenience for a one-off call).</summary>
    /// <param name="signal">ECG samples in any unit.</param>
    /// <param name="samplingFrequency">Samples per second.</param>
    /// <returns>R-peak sample indices, ascending.</returns>
    public static int[] Detect(ReadOnlySpan<double> signal, double samplingFrequency) =>
        new QrsDetector(samplingFrequency).Detect(signal);

    /// <summary>Detects R peaks in ADC samples (e.g. from <see cref="WfdbRecord.GetSamples"/>).</summary>
    /// <param name="signal">ECG samples in ADC units.</param>
    /// <returns>R-peak sample indices, ascending.</returns>
    public int[] Detect(ReadOnlySpan<int> signal)
    {
        var x = new double[signal.Length];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = signal[i];
        }

        return Detect(x);
    }

    /// <summary>Detects R peaks.</summary>
    /// <param name="signal">ECG samples in any unit (millivolts, ADC units...). NaN and infinities are tolerated.</param>
    /// <returns>R-peak sample indices, ascending, at least one refractory period apart.</returns>
    public int[] Detect(ReadOnlySpan<double> signal)
    {
        var fs = SamplingFrequency;
        if (signal.Length < (int)(0.5 * fs))
        {
            return [];
        }

        var x = Filters.Sanitise(signal);
        var high = Math.Min(_options.BandHighHz, 0.45 * fs);
        var band = Filters.BandPassZeroPhase(x, _options.BandLowHz, high, fs);
        var slope = Filters.Derivative(band, fs);
        var energy = new double[slope.Length];
        for (var i = 0; i < energy.Length; i++)
        {
            energy[i] = slope[i] * slope[i];
        }

        var width = (int)Math.Round(_options.IntegrationWindowSeconds * fs) | 1;
        var mwi = Filters.CentredMovingAverage(energy, width);

        var refractory = Math.Max(1, (int)Math.Round(_options.RefractorySeconds * fs));
        var candidates = QrsCandidates.Find(mwi, slope, refractory, width / 2);
        if (candidates.Count == 0)
        {
            return [];
        }

        var logic = new QrsDecisionLogic(_options, fs, refractory);
        var accepted = logic.Run(candidates, mwi, x.Length);
        return Refine(accepted, candidates, band, x, width / 2, refractory);
    }

    private int[] Refine(List<int> accepted, List<QrsCandidate> candidates, double[] band, double[] x, int halfWidth, int refractory)
    {
        var fs = SamplingFrequency;
        var wide = Filters.BandPassZeroPhase(x, 0.5, Math.Min(40.0, 0.45 * fs), fs);
        var refine = Math.Max(1, (int)Math.Round(_options.RefinementSeconds * fs));
        var peaks = new List<int>(accepted.Count);
        foreach (var index in accepted)
        {
            var centre = candidates[index].Index;
            var j = ArgMaxAbs(band, centre - halfWidth - refine / 2, centre + halfWidth + refine / 2);
            var k = ArgMaxAbs(wide, j - refine, j + refine);
            if (peaks.Count > 0 && k - peaks[^1] < refractory)
            {
                if (Math.Abs(wide[k]) > Math.Abs(wide[peaks[^1]]))
                {
                    peaks[^1] = k;
                }

                continue;
            }

            peaks.Add(k);
        }

        return [.. peaks];
    }

    private static int ArgMaxAbs(double[] y, int from, int to)
    {
        from = Math.Max(0, from);
        to = Math.Min(y.Length - 1, to);
        var best = from;
        for (var i = from + 1; i <= to; i++)
        {
            if (Math.Abs(y[i]) > Math.Abs(y[best]))
            {
                best = i;
            }
        }

        return best;
    }
}
