namespace HealthBlock.Analysis;

/// <summary>
/// Scores QRS detections against reference annotations following the ANSI/AAMI EC57 beat-by-beat
/// convention: only beat annotations (WFDB <c>isqrs</c>) are reference beats; a detection matches a
/// reference beat when they are at most 150 ms apart; matching is one-to-one. <c>Evaluate</c> adds what
/// <c>bxb</c> adds: ventricular flutter/fibrillation episodes of the reference (<c>[</c> to <c>]</c>) are not scored,
/// the test annotator's unreadable ("shutdown") spans are reported, and VEB sensitivity and positive predictivity are
/// computed from the beat labels (AAMI class V = MIT codes V, r and E).
/// </summary>
/// <remarks>
/// <para>Scoring window: the <b>whole record</b> is scored, including the first five minutes that EC57
/// (and WFDB <c>bxb</c> with its default start time) treat as a learning period. This is deliberately
/// stricter: a detector that needs a long learning period is penalised here, and wearable recordings
/// are often short.</para>
/// <para>Matching: references and detections are sorted, then each reference (in time order) takes the
/// earliest unmatched detection within the tolerance. Because every reference window has the same
/// width, this greedy rule yields a maximum one-to-one matching.</para>
/// </remarks>
public static class Ec57Scorer
{
    /// <summary>The EC57 match window, seconds.</summary>
    public const double DefaultToleranceSeconds = 0.150;

    /// <summary>Scores detections against reference annotations (non-beat annotations are ignored).</summary>
    /// <param name="reference">Reference annotations, e.g. from <see cref="WfdbAnnotationReader.Read"/>.</param>
    /// <param name="detections">Detected R-peak sample indices.</param>
    /// <param name="samplingFrequency">Samples per second of both.</param>
    /// <param name="toleranceSeconds">Match window, default 0.150 s.</param>
    /// <returns>TP, FP, FN, Se and +P.</returns>
    public static Ec57Result Score(
        IEnumerable<WfdbAnnotation> reference,
        IEnumerable<int> detections,
        double samplingFrequency,
        double toleranceSeconds = DefaultToleranceSeconds)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return Score(WfdbAnnotationReader.BeatSamples(reference), detections.Select(d => (long)d), samplingFrequency, toleranceSeconds);
    }

    /// <summary>Scores detections against reference beat positions.</summary>
    /// <param name="referenceBeats">Reference beat sample indices (beats only).</param>
    /// <param name="detections">Detected R-peak sample indices.</param>
    /// <param name="samplingFrequency">Samples per second of both.</param>
    /// <param name="toleranceSeconds">Match window, default 0.150 s.</param>
    /// <returns>TP, FP, FN, Se and +P.</returns>
    public static Ec57Result Score(
        IEnumerable<long> referenceBeats,
        IEnumerable<long> detections,
        double samplingFrequency,
        double toleranceSeconds = DefaultToleranceSeconds)
    {
        ArgumentNullException.ThrowIfNull(referenceBeats);
        ArgumentNullException.ThrowIfNull(detections);
        if (!double.IsFinite(samplingFrequency) || samplingFrequency <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(samplingFrequency), "Sampling frequency must be positive.");
        }

        if (!double.IsFinite(toleranceSeconds) || toleranceSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(toleranceSeconds), "Tolerance must be non-negative.");
        }

        var refs = referenceBeats.Order().ToArray();
        var dets = detections.Order().ToArray();
        var tol = (long)Math.Floor(toleranceSeconds * samplingFrequency + 1e-9);
        var tp = 0;
        var d = 0;
        foreach (var r in refs)
        {
            while (d < dets.Length && dets[d] < r - tol)
            {
                d++;
            }

            if (d < dets.Length && dets[d] <= r + tol)
            {
                tp++;
                d++;
            }
        }

        return new Ec57Result(tp, dets.Length - tp, refs.Length - tp);
    }

    /// <summary>
    /// Compares a test annotator with the reference beat by beat. Test beats are the test's beat annotations; its
    /// unreadable spans are WFDB "shutdown" periods: from a NOISE (<c>~</c>) annotation whose subtype has bits 4 and 5
    /// set to the next NOISE annotation with any other subtype (or the end). Reference beats inside them are not scored
    /// but counted (<see cref="Ec57Report.UnreadableReferenceBeats"/>, <see cref="Ec57Report.StrictSensitivity"/>).
    /// </summary>
    /// <param name="reference">Reference annotations (beats, rhythm and VF markers).</param>
    /// <param name="test">Test annotations (beats with labels, NOISE shutdown/resume markers).</param>
    /// <param name="samplingFrequency">Samples per second of both.</param>
    /// <param name="options">Range, windows and match tolerance; null for the whole record.</param>
    /// <returns>The report.</returns>
    public static Ec57Report Evaluate(
        IEnumerable<WfdbAnnotation> reference, IEnumerable<WfdbAnnotation> test, double samplingFrequency, Ec57Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        var list = test.ToList();
        var beats = list.Where(a => a.IsBeat).Select(a => (a.Sample, IsVentricular(a.Code))).ToList();
        return Evaluate(reference, beats, ShutdownSpans(list), samplingFrequency, options);
    }

    /// <summary>Compares labelled test beats and unreadable spans with the reference (see the other overload).</summary>
    /// <param name="reference">Reference annotations.</param>
    /// <param name="beats">Test beats: sample and whether the test labels it ventricular (V).</param>
    /// <param name="unreadable">Spans the test could not read.</param>
    /// <param name="samplingFrequency">Samples per second of both.</param>
    /// <param name="options">Range, windows and match tolerance; null for the whole record.</param>
    /// <returns>The report.</returns>
    public static Ec57Report Evaluate(
        IEnumerable<WfdbAnnotation> reference,
        IEnumerable<(long Sample, bool Ventricular)> beats,
        IEnumerable<EcgSpan> unreadable,
        double samplingFrequency,
        Ec57Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(beats);
        ArgumentNullException.ThrowIfNull(unreadable);
        if (!double.IsFinite(samplingFrequency) || samplingFrequency <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(samplingFrequency), "Sampling frequency must be positive.");
        }

        var o = options ?? new Ec57Options();
        var refList = reference.ToList();
        var scored = Ec57Spans.Scored(o, Ec57Spans.VentricularFibrillation(refList));
        var shutdown = unreadable.OrderBy(s => s.StartSample).ToList();
        var refs = refList.Where(a => a.IsBeat && Ec57Spans.Inside(scored, a.Sample)).OrderBy(a => a.Sample).ToList();
        var refsScored = refs.Where(a => !Ec57Spans.Inside(shutdown, a.Sample)).ToList();
        var tests = beats.Where(b => Ec57Spans.Inside(scored, b.Sample) && !Ec57Spans.Inside(shutdown, b.Sample)).OrderBy(b => b.Sample).ToList();

        var tol = (long)Math.Floor(o.ToleranceSeconds * samplingFrequency + 1e-9);
        int tp = 0, vtp = 0, vfn = 0, vfp = 0;
        var matched = new bool[tests.Count];
        var d = 0;
        foreach (var r in refsScored)
        {
            var refV = IsVentricular(r.Code);
            while (d < tests.Count && tests[d].Sample < r.Sample - tol)
            {
                d++;
            }

            if (d < tests.Count && tests[d].Sample <= r.Sample + tol)
            {
                tp++;
                matched[d] = true;
                var testV = tests[d].Ventricular;
                vtp += refV && testV ? 1 : 0;
                vfn += refV && !testV ? 1 : 0;
                vfp += !refV && testV ? 1 : 0;
                d++;
            }
            else
            {
                vfn += refV ? 1 : 0;
            }
        }

        for (var i = 0; i < tests.Count; i++)
        {
            vfp += !matched[i] && tests[i].Ventricular ? 1 : 0;
        }

        var fs = samplingFrequency;
        return new Ec57Report(
            tp, tests.Count - tp, refsScored.Count - tp, refs.Count, refs.Count - refsScored.Count,
            Ec57Spans.Overlap(scored, shutdown) / fs, scored.Sum(s => s.Length) / fs, vtp, vfn, vfp);
    }

    /// <summary>True for the AAMI ventricular ectopic class V: PVC (<c>V</c>), R-on-T PVC (<c>r</c>) and ventricular escape (<c>E</c>).</summary>
    /// <param name="code">An annotation code.</param>
    public static bool IsVentricular(AnnotationCode code) =>
        code is AnnotationCode.PrematureVentricular or AnnotationCode.ROnT or AnnotationCode.VentricularEscape;

    /// <summary>The "shutdown" (unreadable) spans of an annotation list: from a NOISE annotation whose subtype has bits 4
    /// and 5 set to the next NOISE annotation with any other subtype (or past the last annotation).</summary>
    /// <param name="annotations">Annotations in time order.</param>
    /// <returns>The spans.</returns>
    public static IReadOnlyList<EcgSpan> ShutdownSpans(IEnumerable<WfdbAnnotation> annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        var spans = new List<EcgSpan>();
        long? start = null;
        foreach (var a in annotations.Where(a => a.Code == AnnotationCode.Noise))
        {
            var shutdown = (a.SubType & 0x30) == 0x30;
            if (shutdown && start is null)
            {
                start = a.Sample;
            }
            else if (!shutdown && start is { } s)
            {
                spans.Add(new EcgSpan(s, a.Sample, SignalIssue.Artefact));
                start = null;
            }
        }

        if (start is { } open)
        {
            spans.Add(new EcgSpan(open, long.MaxValue, SignalIssue.Artefact));
        }

        return spans;
    }
}
