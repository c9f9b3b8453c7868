namespace HealthBlock.Analysis;

/// <summary>Span arithmetic for <c>Ec57Scorer.Evaluate</c>: the scored range, VF episodes, overlaps.</summary>
internal static class Ec57Spans
{
    /// <summary>Reference ventricular flutter/fibrillation episodes: <c>[</c> to the next <c>]</c> (or the end).</summary>
    public static List<EcgSpan> VentricularFibrillation(IEnumerable<WfdbAnnotation> reference)
    {
        var spans = new List<EcgSpan>();
        long? start = null;
        foreach (var a in reference)
        {
            if (a.Code == AnnotationCode.VentricularFibrillationOnset)
            {
                start ??= a.Sample;
            }
            else if (a.Code == AnnotationCode.VentricularFibrillationOffset && start is { } s)
            {
                spans.Add(new EcgSpan(s, a.Sample + 1, SignalIssue.None));
                start = null;
            }
        }

        if (start is { } open)
        {
            spans.Add(new EcgSpan(open, long.MaxValue, SignalIssue.None));
        }

        return spans;
    }

    /// <summary>The scored spans: the options' range (and windows) minus the VF episodes, ascending and disjoint.</summary>
    public static List<EcgSpan> Scored(Ec57Options o, List<EcgSpan> fibrillation)
    {
        var windows = o.Windows is { } w
            ? w.Select(s => new EcgSpan(Math.Max(s.StartSample, o.StartSample), Math.Min(s.EndSample, o.EndSample), SignalIssue.None))
                .Where(s => s.EndSample > s.StartSample).OrderBy(s => s.StartSample).ToList()
            : [new EcgSpan(o.StartSample, o.EndSample, SignalIssue.None)];
        var result = new List<EcgSpan>();
        foreach (var span in windows)
        {
            var pieces = new List<EcgSpan> { span };
            foreach (var vf in fibrillation)
            {
                pieces = [.. pieces.SelectMany(p => Subtract(p, vf))];
            }

            result.AddRange(pieces);
        }

        return result;
    }

    public static bool Inside(List<EcgSpan> spans, long sample)
    {
        foreach (var s in spans)
        {
            if (s.Contains(sample))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Samples of <paramref name="a"/> that are also in <paramref name="b"/> (both disjoint lists).</summary>
    public static double Overlap(List<EcgSpan> a, List<EcgSpan> b)
    {
        var total = 0.0;
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                var from = Math.Max(x.StartSample, y.StartSample);
                var to = Math.Min(x.EndSample, y.EndSample);
                if (to > from && from != long.MaxValue)
                {
                    total += to - from;
                }
            }
        }

        return total;
    }

    private static IEnumerable<EcgSpan> Subtract(EcgSpan span, EcgSpan cut)
    {
        if (cut.EndSample <= span.StartSample || cut.StartSample >= span.EndSample)
        {
            yield return span;
            yield break;
        }

        if (cut.StartSample > span.StartSample)
        {
            yield return span with { EndSample = cut.StartSample };
        }

        if (cut.EndSample < span.EndSample)
        {
            yield return span with { StartSample = cut.EndSample };
        }
    }
}
