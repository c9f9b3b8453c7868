namespace HealthBlock.Analysis;

/// <summary>Gathers the updates of a whole-array run of <see cref="EcgStream"/> into an <see cref="EcgAnalysisResult"/>.</summary>
internal sealed class EcgStreamCollector(double fs)
{
    private readonly List<EcgBeat> _beats = [];
    private readonly List<EcgSpan> _unreadable = [];
    private readonly List<Finding> _findings = [];

    public void Add(EcgStreamUpdate update)
    {
        _beats.AddRange(update.Beats);
        _unreadable.AddRange(update.Unreadable);
        _findings.AddRange(update.Findings);
    }

    public EcgAnalysisResult ToResult(int length, HeartRateSummary? summary)
    {
        var excluded = _unreadable.Select(s => new SignalSegment(Clip(s.StartSample, length), Clip(s.EndSample, length), s.Issues))
            .Where(s => s.EndSample > s.StartSample).ToList();
        var analysed = new List<SignalSegment>();
        var at = 0;
        foreach (var e in excluded)
        {
            if (e.StartSample > at)
            {
                analysed.Add(new SignalSegment(at, e.StartSample, SignalIssue.None));
            }

            at = Math.Max(at, e.EndSample);
        }

        if (length > at)
        {
            analysed.Add(new SignalSegment(at, length, SignalIssue.None));
        }

        var rr = new List<RrInterval>();
        for (var i = 1; i < _beats.Count; i++)
        {
            var (a, b) = (_beats[i - 1].Sample, _beats[i].Sample);
            if (analysed.Any(s => a >= s.StartSample && b < s.EndSample))
            {
                rr.Add(new RrInterval(a, b, (b - a) / fs));
            }
        }

        // The summary first, then rhythm findings in time order, then signal quality (as the findings of a report read).
        var ordered = _findings
            .OrderBy(f => f.Kind is FindingKind.HeartRateSummary or FindingKind.InsufficientSignal ? 0 : f.Kind is FindingKind.LeadOff or FindingKind.PoorSignalQuality ? 2 : 1)
            .ThenBy(f => f.Window?.StartSeconds ?? 0)
            .ToList();
        return new EcgAnalysisResult(fs, length, [.. _beats.Select(b => (int)b.Sample)], rr, summary, analysed, excluded, ordered)
        {
            Beats = [.. _beats],
        };
    }

    private static int Clip(long sample, int length) => (int)Math.Clamp(sample, 0, length);
}
