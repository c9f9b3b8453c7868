namespace HealthBlock.Analysis;

/// <summary>
/// Analyses one ECG channel: excludes lead-off and poor-quality stretches, detects beats in the clean
/// stretches and derives heart rate, RR intervals and screening findings (bradycardia, tachycardia,
/// pauses, irregular rhythm / possible atrial fibrillation, signal quality).
/// </summary>
/// <remarks>
/// <para>Signal quality is judged in 2 s windows: <see cref="SignalIssue.LeadOff"/> (lead-off mask or
/// NaN/infinite samples, padded by 0.5 s), <see cref="SignalIssue.Flatline"/> (peak-to-peak &lt; 0.02 mV),
/// <see cref="SignalIssue.Saturation"/> (≥ 0.1 s in runs ≥ 30 ms of identical values at the window's
/// extreme) and <see cref="SignalIssue.HighFrequencyNoise"/> (robust level of the &gt; 40 Hz component
/// &gt; 0.2 mV). Clean stretches shorter than 5 s are <see cref="SignalIssue.TooShort"/>. Beats are detected
/// independently in each clean stretch with <see cref="QrsDetector"/>; RR intervals never span an
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
        var detector = new QrsDetector(samplingFrequency);
        var o = options ?? new EcgAnalysisOptions();
        var fs = samplingFrequency;
        var issues = SignalQualityAssessor.Assess(samplesMv, fs, leadOffMask, o);
        var (analysed, excluded) = Segment(issues, (int)Math.Round(o.MinSegmentSeconds * fs));

        var x = Filters.Sanitise(samplesMv);
        var peaks = new List<int>();
        var rr = new List<RrInterval>();
        var rrBySegment = new List<(SignalSegment Segment, List<RrInterval> Rr)>();
        foreach (var segment in analysed)
        {
            var local = detector.Detect(x.AsSpan(segment.StartSample, segment.Length));
            var segmentRr = new List<RrInterval>();
            for (var i = 0; i < local.Length; i++)
            {
                var p = local[i] + segment.StartSample;
                if (i > 0)
                {
                    segmentRr.Add(new RrInterval(peaks[^1], p, (p - peaks[^1]) / fs));
                }

                peaks.Add(p);
            }

            rr.AddRange(segmentRr);
            rrBySegment.Add((segment, segmentRr));
        }

        var summary = RhythmFindings.Summarise(peaks.Count, rr, rrBySegment, fs, o);
        var findings = RhythmFindings.Build(summary, rrBySegment, analysed, excluded, fs, samplesMv.Length, o);
        return new EcgAnalysisResult(fs, samplesMv.Length, peaks, rr, summary, analysed, excluded, findings);
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

    private static (List<SignalSegment> Analysed, List<SignalSegment> Excluded) Segment(SignalIssue[] issues, int minLength)
    {
        var runs = new List<SignalSegment>();
        var i = 0;
        while (i < issues.Length)
        {
            var clean = issues[i] == SignalIssue.None;
            var j = i + 1;
            while (j < issues.Length && (issues[j] == SignalIssue.None) == clean)
            {
                j++;
            }

            var flags = SignalIssue.None;
            for (var k = i; k < j && !clean; k++)
            {
                flags |= issues[k];
            }

            runs.Add(new SignalSegment(i, j, clean && j - i < minLength ? SignalIssue.TooShort : flags));
            i = j;
        }

        var analysed = runs.Where(r => r.Issues == SignalIssue.None).ToList();
        var excluded = new List<SignalSegment>();
        foreach (var r in runs.Where(r => r.Issues != SignalIssue.None))
        {
            if (excluded.Count > 0 && excluded[^1].EndSample == r.StartSample)
            {
                excluded[^1] = new SignalSegment(excluded[^1].StartSample, r.EndSample, excluded[^1].Issues | r.Issues);
            }
            else
            {
                excluded.Add(r);
            }
        }

        return (analysed, excluded);
    }
}
