namespace HealthBlock.Analysis;

/// <summary>
/// Analyses one ECG channel: excludes lead-off and poor-quality stretches, detects and classifies beats in the clean
/// stretches and derives heart rate, RR intervals and screening findings (bradycardia, tachycardia,
/// pauses, ventricular runs, irregular rhythm / possible atrial fibrillation, signal quality). It is
/// <see cref="EcgStream"/> run over the whole array, so a stream of the same samples gives the same result.
/// </summary>
/// <remarks>
/// <para>Signal quality is judged in 2 s windows: <see cref="SignalIssue.LeadOff"/> (lead-off mask or
/// NaN/infinite samples, padded by 0.5 s), <see cref="SignalIssue.Flatline"/> (peak-to-peak &lt; 0.02 mV),
/// <see cref="SignalIssue.Saturation"/> (≥ 0.1 s in runs ≥ 30 ms of identical values at the window's
/// extreme) and <see cref="SignalIssue.HighFrequencyNoise"/> (robust level of the &gt; 40 Hz component
/// &gt; 0.2 mV); the detector adds <see cref="SignalIssue.Artefact"/> where it cannot tell QRS complexes from
/// artefact. Clean stretches shorter than 5 s are <see cref="SignalIssue.TooShort"/>. RR intervals never span an
/// excluded stretch. All thresholds are in <see cref="EcgAnalysisOptions"/>.</para>
/// <para>Results are automated screening for review by a clinician.</para>
/// </remarks>
public static class EcgAnalyzer
{
    /// <summary>Analyses ECG samples in millivolts.</summary>
    /// <param name="samplesMv">ECG in millivolts (NaN/infinite samples are treated as lead-off).</param>
    /// <param name="samplingFrequency">Samples per second (50 to 20 000).</param>
    /// <param name="leadOffMask">Per-sample lead-off flags (true = electrode off); empty or shorter than the
    /// signal means "no flag" for the missing samples.</param>
    /// <param name="options">Thresholds; null for the defaults.</param>
    /// <returns>Beats, RR intervals, summary, segments and findings.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When the sampling frequency is out of range.</exception>
    public static EcgAnalysisResult Analyze(
        ReadOnlySpan<double> samplesMv,
        double samplingFrequency,
        ReadOnlySpan<bool> leadOffMask = default,
        EcgAnalysisOptions? options = null)
    {
        var stream = new EcgStream(samplingFrequency, options);
        var x = samplesMv.ToArray();
        for (var i = 0; i < Math.Min(x.Length, leadOffMask.Length); i++)
        {
            if (leadOffMask[i])
            {
                x[i] = double.NaN;
            }
        }

        var collected = new EcgStreamCollector(samplingFrequency);
        collected.Add(stream.Push(x, 0));
        collected.Add(stream.Complete());
        return collected.ToResult(x.Length, stream.HeartRate);
    }

    /// <summary>Analyses ECG samples with lead-off given as sample ranges.</summary>
    /// <param name="samplesMv">ECG in millivolts.</param>
    /// <param name="samplingFrequency">Samples per second.</param>
    /// <param name="leadOffSegments">Lead-off ranges <c>[StartSample, EndSample)</c>; out-of-range parts are ignored.</param>
    /// <param name="options">Thresholds; null for the defaults.</param>
    /// <returns>Beats, RR intervals, summary, segments and findings.</returns>
    public static EcgAnalysisResult Analyze(
        ReadOnlySpan<double> samplesMv,
        double samplingFrequency,
        IEnumerable<(int StartSample, int EndSample)> leadOffSegments,
        EcgAnalysisOptions? options = null) =>
        Analyze(samplesMv, samplingFrequency, MaskFromSegments(samplesMv.Length, leadOffSegments), options);

    /// <summary>Analyses one channel of a WFDB record (converted to physical units with its gain and baseline).</summary>
    /// <param name="record">The record.</param>
    /// <param name="channel">Zero-based channel.</param>
    /// <param name="options">Thresholds; null for the defaults.</param>
    /// <returns>Beats, RR intervals, summary, segments and findings.</returns>
    public static EcgAnalysisResult Analyze(WfdbRecord record, int channel, EcgAnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Analyze(record.ToPhysical(channel), record.SamplingFrequency, ReadOnlySpan<bool>.Empty, options);
    }

    /// <summary>Builds a per-sample lead-off mask from ranges.</summary>
    /// <param name="length">Signal length.</param>
    /// <param name="segments">Ranges <c>[StartSample, EndSample)</c>; clipped to the signal.</param>
    /// <returns>The mask.</returns>
    public static bool[] MaskFromSegments(int length, IEnumerable<(int StartSample, int EndSample)> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var mask = new bool[length];
        foreach (var (start, end) in segments)
        {
            for (var i = Math.Max(0, start); i < Math.Min(length, end); i++)
            {
                mask[i] = true;
            }
        }

        return mask;
    }
}
