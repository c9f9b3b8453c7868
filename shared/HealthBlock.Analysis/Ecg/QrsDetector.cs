namespace HealthBlock.Analysis;

/// <summary>
/// QRS (R-peak) detector for single-lead ECG at any sampling rate, after Pan and Tompkins (1985), built as a
/// streaming detector: the whole-array calls below run exactly the code a streaming detector runs,
/// over the whole array, so batch and streaming give the same beats.
/// </summary>
/// <remarks>
/// <para>Pipeline, sample by sample, in double precision:</para>
/// <list type="number">
/// <item>Non-finite samples are gaps: what is pending is decided, every state is reset and learning starts again.</item>
/// <item>Causal band-pass (two second-order Butterworth high-passes and two low-passes), five-point derivative,
/// absolute value and a 100 ms moving-window integration (MWI): a feature that grows linearly with QRS amplitude.</item>
/// <item>Candidate peaks: local maxima of the MWI that are the largest within ±200 ms (refractory period).</item>
/// <item>Adaptive signal/noise peak levels (SPK/NPK) seeded from the median of 2 s block maxima over the first 8 s,
/// threshold 1 = NPK + 0.3 (SPK − NPK), threshold 2 = threshold 1 / 2.</item>
/// <item>T-wave discrimination: a candidate within 360 ms of the previous beat whose maximal slope is
/// below half of that beat's slope is a T wave (noise).</item>
/// <item>Search-back: when no beat is found for 1.66 × the median of the last eight RR intervals, the
/// largest skipped candidate above threshold 2 is taken as a beat.</item>
/// <item>Re-learning: after 3 s (and 3 RR intervals) without a beat, or after three beats in a row found only by
/// search-back, the signal level is re-seeded from the largest candidate since the last beat if that is at least a
/// quarter of the old level, so a sudden fall in QRS amplitude is followed.</item>
/// <item>R-peak placement: the largest band-pass deflection near the MWI peak (delays of the causal filters
/// compensated), then the largest absolute deflection of a 1-25 Hz copy within ±50 ms.</item>
/// <item>Shape: running templates of the beat shapes seen (correlation over ±70 ms, shifts within ±30 ms). When the
/// noise floor (a low quantile of the MWI away from beats) or the noise peak level is high, a candidate must match an
/// established template, and a candidate of another shape is held until the next one, which replaces it if it has the
/// dominant shape; a rejected shape that recurs at a steady pace is adopted (conduction change, new ectopic focus).</item>
/// <item>Sequencing: a beat in noise, or of a non-dominant shape, that splits one normal-to-normal cycle and is
/// followed by a dominant beat is dropped as an intruding artefact; a long gap with rejected artefacts, and a 2 s window
/// with a high noise floor, repeated artefacts or mostly poor matches, are reported unreadable.</item>
/// </list>
/// <para>The detector is scale-invariant (no absolute amplitude thresholds), so ADC units and millivolts
/// give identical results.</para>
/// <para>This is an automated screening algorithm; its output is meant for review by a clinician.</para>
/// </remarks>
public sealed class QrsDetector
{
    /// <summary>Algorithm name recorded in findings.</summary>
    public const string AlgorithmName = "HealthBlock.QrsDetector (streaming Pan-Tompkins, search-back, beat templates, unreadable spans)";

    /// <summary>Algorithm version recorded in findings; bump on any change that can move a detection.</summary>
    public const string AlgorithmVersion = "2.0.0";

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
        CheckSamplingFrequency(samplingFrequency);
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
    /// <param name="signal">ECG samples in any unit (millivolts, ADC units...). Non-finite samples are gaps.</param>
    /// <returns>R-peak sample indices, ascending, at least one refractory period apart.</returns>
    public int[] Detect(ReadOnlySpan<double> signal) => [.. DetectWithQuality(signal).Beats.Select(b => (int)b)];

    /// <summary>Detects R peaks and reports the stretches the detector could not read (invalid samples, artefact it
    /// could not tell from QRS complexes), where it reports no beats.</summary>
    /// <param name="signal">ECG samples in any unit. Non-finite samples are gaps.</param>
    /// <returns>Beats and unreadable spans.</returns>
    public QrsDetection DetectWithQuality(ReadOnlySpan<double> signal)
    {
        var sink = new QrsCollector();
        var core = new QrsDetectionCore(SamplingFrequency, _options, sink);
        core.Process(signal);
        core.Complete();
        return sink.ToDetection();
    }

    internal static void CheckSamplingFrequency(double samplingFrequency)
    {
        if (!double.IsFinite(samplingFrequency)
            || samplingFrequency < MinSamplingFrequency
            || samplingFrequency > MaxSamplingFrequency)
        {
            throw new ArgumentOutOfRangeException(
                nameof(samplingFrequency), samplingFrequency,
                $"Sampling frequency must be between {MinSamplingFrequency} and {MaxSamplingFrequency} Hz.");
        }
    }
}
