using System.Globalization;

namespace HealthBlock.Analysis;

/// <summary>Turns beats, RR intervals and segments into the heart-rate summary and screening findings.</summary>
internal static class RhythmFindings
{
    private sealed record Epoch(int Segment, int Index, List<RrInterval> Rr, double HeartRateBpm);

    public static HeartRateSummary? Summarise(
        int beatCount, List<RrInterval> rr, List<(SignalSegment Segment, List<RrInterval> Rr)> bySegment, double fs, EcgAnalysisOptions o)
    {
        if (rr.Count < 2)
        {
            return null;
        }

        var mean = rr.Average(r => r.Seconds);
        var sd = Math.Sqrt(rr.Sum(r => (r.Seconds - mean) * (r.Seconds - mean)) / (rr.Count - 1));
        var diffSq = 0.0;
        var diffs = 0;
        foreach (var (_, list) in bySegment)
        {
            for (var i = 1; i < list.Count; i++)
            {
                diffSq += (list[i].Seconds - list[i - 1].Seconds) * (list[i].Seconds - list[i - 1].Seconds);
                diffs++;
            }
        }

        var epochs = Epochs(bySegment, fs, o);
        var min = epochs.Count > 0 ? epochs.Min(e => e.HeartRateBpm) : rr.Min(r => r.HeartRateBpm);
        var max = epochs.Count > 0 ? epochs.Max(e => e.HeartRateBpm) : rr.Max(r => r.HeartRateBpm);
        return new HeartRateSummary(
            beatCount, rr.Count, 60.0 / mean, min, max, mean, 1000 * sd,
            diffs > 0 ? 1000 * Math.Sqrt(diffSq / diffs) : 0, sd / mean);
    }

    public static List<Finding> Build(
        HeartRateSummary? summary,
        List<(SignalSegment Segment, List<RrInterval> Rr)> bySegment,
        List<SignalSegment> analysed,
        List<SignalSegment> excluded,
        double fs,
        int sampleCount,
        EcgAnalysisOptions o)
    {
        var findings = new List<Finding>();
        var analysedSeconds = analysed.Sum(s => s.Length) / fs;
        if (summary is null)
        {
            findings.Add(Rhythm(
                FindingKind.InsufficientSignal, FindingSeverity.Low,
                $"Not enough clean ECG to analyse the rhythm: {F1(analysedSeconds)} s of {F1(sampleCount / fs)} s usable.",
                sampleCount > 0 ? TimeWindow.FromSamples(0, sampleCount, fs) : null,
                new FindingValues().Add("analysedSeconds", analysedSeconds).Add("recordSeconds", sampleCount / fs).Build()));
        }
        else
        {
            findings.Add(Rhythm(
                FindingKind.HeartRateSummary, FindingSeverity.Info,
                $"Mean heart rate {F0(summary.MeanHeartRateBpm)} bpm (10 s epochs {F0(summary.MinHeartRateBpm)}-{F0(summary.MaxHeartRateBpm)} bpm) "
                + $"from {summary.BeatCount} beats in {F1(analysedSeconds)} s of clean ECG; SDNN {F0(summary.SdnnMilliseconds)} ms, "
                + $"RMSSD {F0(summary.RmssdMilliseconds)} ms.",
                analysed.Count > 0 ? TimeWindow.FromSamples(analysed[0].StartSample, analysed[^1].EndSample, fs) : null,
                new FindingValues()
                    .Add("meanHeartRateBpm", summary.MeanHeartRateBpm).Add("minHeartRateBpm", summary.MinHeartRateBpm)
                    .Add("maxHeartRateBpm", summary.MaxHeartRateBpm).Add("beatCount", summary.BeatCount)
                    .Add("sdnnMs", summary.SdnnMilliseconds).Add("rmssdMs", summary.RmssdMilliseconds)
                    .Add("coefficientOfVariation", summary.CoefficientOfVariation).Add("analysedSeconds", analysedSeconds).Build()));
            var epochs = Epochs(bySegment, fs, o);
            AddRateEpisodes(findings, epochs, fs, o, bradycardia: true);
            AddRateEpisodes(findings, epochs, fs, o, bradycardia: false);
            AddPauses(findings, bySegment, fs, o);
            AddIrregularity(findings, bySegment, fs, o);
        }

        AddQuality(findings, excluded, fs, SignalIssue.LeadOff);
        AddQuality(findings, excluded, fs, SignalIssue.Saturation | SignalIssue.Flatline | SignalIssue.HighFrequencyNoise | SignalIssue.TooShort);
        return findings;
    }

    private static List<Epoch> Epochs(List<(SignalSegment Segment, List<RrInterval> Rr)> bySegment, double fs, EcgAnalysisOptions o)
    {
        var epochLength = Math.Max(1, (int)Math.Round(o.RateEpochSeconds * fs));
        var epochs = new List<Epoch>();
        for (var s = 0; s < bySegment.Count; s++)
        {
            var (segment, rr) = bySegment[s];
            foreach (var group in rr.GroupBy(r => (r.EndSample - segment.StartSample) / epochLength))
            {
                var list = group.ToList();
                if (list.Count >= 2)
                {
                    epochs.Add(new Epoch(s, group.Key, list, 60.0 / list.Average(r => r.Seconds)));
                }
            }
        }

        return epochs;
    }

    private static void AddRateEpisodes(List<Finding> findings, List<Epoch> epochs, double fs, EcgAnalysisOptions o, bool bradycardia)
    {
        bool Matches(Epoch e) => bradycardia ? e.HeartRateBpm < o.BradycardiaBpm : e.HeartRateBpm > o.TachycardiaBpm;
        var i = 0;
        while (i < epochs.Count)
        {
            if (!Matches(epochs[i]))
            {
                i++;
                continue;
            }

            var j = i + 1;
            while (j < epochs.Count && Matches(epochs[j]) && epochs[j].Segment == epochs[j - 1].Segment && epochs[j].Index == epochs[j - 1].Index + 1)
            {
                j++;
            }

            var run = epochs.Skip(i).Take(j - i).ToList();
            var rr = run.SelectMany(e => e.Rr).ToList();
            var window = TimeWindow.FromSamples(rr[0].StartSample, rr[^1].EndSample, fs);
            var mean = 60.0 / rr.Average(r => r.Seconds);
            var extreme = bradycardia ? run.Min(e => e.HeartRateBpm) : run.Max(e => e.HeartRateBpm);
            var severe = bradycardia ? extreme < o.SevereBradycardiaBpm : extreme > o.SevereTachycardiaBpm;
            var name = bradycardia ? "Bradycardia" : "Tachycardia";
            var limit = bradycardia ? $"< {F0(o.BradycardiaBpm)}" : $"> {F0(o.TachycardiaBpm)}";
            findings.Add(Rhythm(
                bradycardia ? FindingKind.Bradycardia : FindingKind.Tachycardia,
                severe ? FindingSeverity.High : FindingSeverity.Low,
                $"{name}: heart rate {limit} bpm for {F0(window.DurationSeconds)} s (mean {F0(mean)} bpm, "
                + $"{(bradycardia ? "lowest" : "highest")} 10 s epoch {F0(extreme)} bpm).",
                window,
                new FindingValues().Add("meanHeartRateBpm", mean)
                    .Add(bradycardia ? "minHeartRateBpm" : "maxHeartRateBpm", extreme)
                    .Add("durationSeconds", window.DurationSeconds).Build()));
            i = j;
        }
    }

    private static void AddPauses(List<Finding> findings, List<(SignalSegment Segment, List<RrInterval> Rr)> bySegment, double fs, EcgAnalysisOptions o)
    {
        foreach (var r in bySegment.SelectMany(s => s.Rr).Where(r => r.Seconds >= o.PauseSeconds))
        {
            findings.Add(Rhythm(
                FindingKind.Pause, FindingSeverity.High,
                $"Pause: {F1(r.Seconds)} s without a detected beat (≥ {F1(o.PauseSeconds)} s).",
                TimeWindow.FromSamples(r.StartSample, r.EndSample, fs),
                new FindingValues().Add("pauseSeconds", r.Seconds).Build()));
        }
    }

    private static void AddIrregularity(List<Finding> findings, List<(SignalSegment Segment, List<RrInterval> Rr)> bySegment, double fs, EcgAnalysisOptions o)
    {
        var size = Math.Max(RrIrregularity.MinIntervals, o.IrregularityWindowBeats);
        var episodes = new List<(int Start, int End, List<RrIrregularity> Measures)>();
        foreach (var (_, rr) in bySegment)
        {
            if (rr.Count < RrIrregularity.MinIntervals)
            {
                continue;
            }

            var starts = new List<int>();
            for (var s = 0; s + size <= rr.Count; s += size / 2)
            {
                starts.Add(s);
            }

            if (starts.Count == 0 || starts[^1] + size < rr.Count)
            {
                starts.Add(Math.Max(0, rr.Count - size));
            }

            foreach (var s in starts)
            {
                var count = Math.Min(size, rr.Count - s);
                var seconds = rr.Skip(s).Take(count).Select(r => r.Seconds).ToArray();
                var m = RrIrregularity.Measure(seconds, o.IrregularityNormalizedRmssd);
                if (m is not { IsIrregular: true })
                {
                    continue;
                }

                int start = rr[s].StartSample, end = rr[s + count - 1].EndSample;
                if (episodes.Count > 0 && start <= episodes[^1].End)
                {
                    episodes[^1] = (episodes[^1].Start, Math.Max(end, episodes[^1].End), [.. episodes[^1].Measures, m]);
                }
                else
                {
                    episodes.Add((start, end, [m]));
                }
            }
        }

        foreach (var (start, end, measures) in episodes)
        {
            var window = TimeWindow.FromSamples(start, end, fs);
            var nRmssd = measures.Average(m => m.NormalizedRmssd);
            var cv = measures.Average(m => m.CoefficientOfVariation);
            findings.Add(Rhythm(
                FindingKind.IrregularRhythm, FindingSeverity.Moderate,
                $"Irregularly irregular RR intervals for {F0(window.DurationSeconds)} s (RMSSD/mean RR {F2(nRmssd)}, CV {F2(cv)}): "
                + "possible atrial fibrillation.",
                window,
                new FindingValues().Add("normalizedRmssd", nRmssd).Add("coefficientOfVariation", cv)
                    .Add("durationSeconds", window.DurationSeconds).Build()));
        }
    }

    private static void AddQuality(List<Finding> findings, List<SignalSegment> excluded, double fs, SignalIssue mask)
    {
        var leadOff = mask == SignalIssue.LeadOff;
        var segments = excluded.Where(s => leadOff ? (s.Issues & SignalIssue.LeadOff) != 0 : (s.Issues & SignalIssue.LeadOff) == 0 && (s.Issues & mask) != 0).ToList();
        if (segments.Count == 0)
        {
            return;
        }

        var seconds = segments.Sum(s => s.Length) / fs;
        var reasons = segments.Aggregate(SignalIssue.None, (a, s) => a | s.Issues);
        var text = leadOff
            ? $"Lead-off: {F1(seconds)} s of ECG in {segments.Count} stretch(es) excluded from analysis."
            : $"Poor signal quality ({Describe(reasons)}): {F1(seconds)} s of ECG in {segments.Count} stretch(es) excluded from analysis.";
        if ((reasons & SignalIssue.Flatline) != 0)
        {
            text += " A flat signal was not analysed; asystole cannot be excluded automatically - check the electrodes and the tracing.";
        }

        findings.Add(new Finding(
            leadOff ? FindingKind.LeadOff : FindingKind.PoorSignalQuality,
            FindingSeverity.Info,
            text,
            TimeWindow.FromSamples(segments[0].StartSample, segments[^1].EndSample, fs),
            new FindingValues().Add("excludedSeconds", seconds).Add("segmentCount", segments.Count).Build(),
            AlgorithmInfo.SignalQualityName,
            AlgorithmInfo.SignalQualityVersion));
    }

    private static string Describe(SignalIssue issues)
    {
        var parts = new List<string>();
        if ((issues & SignalIssue.Saturation) != 0)
        {
            parts.Add("saturation");
        }

        if ((issues & SignalIssue.Flatline) != 0)
        {
            parts.Add("flatline");
        }

        if ((issues & SignalIssue.HighFrequencyNoise) != 0)
        {
            parts.Add("high-frequency noise");
        }

        if ((issues & SignalIssue.TooShort) != 0)
        {
            parts.Add("clean stretch too short");
        }

        return string.Join(", ", parts);
    }

    private static Finding Rhythm(FindingKind kind, FindingSeverity severity, string text, TimeWindow? window, IReadOnlyDictionary<string, double> values) =>
        new(kind, severity, text, window, values, AlgorithmInfo.RhythmName, AlgorithmInfo.RhythmVersion);

    private static string F0(double v) => v.ToString("0", CultureInfo.InvariantCulture);

    private static string F2(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    private static string F1(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
}
