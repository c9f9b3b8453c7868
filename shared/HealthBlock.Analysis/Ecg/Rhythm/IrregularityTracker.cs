namespace HealthBlock.Analysis;

/// <summary>
/// Screens for atrial fibrillation with <see cref="RrIrregularity"/> on windows of
/// <see cref="EcgAnalysisOptions.IrregularityWindowBeats"/> consecutive normal-to-normal RR intervals of one readable
/// stretch (intervals next to a ventricular beat are left out, as AF screening from RR intervals requires),
/// overlapping by half (plus a last window ending with the stretch). Overlapping irregular windows merge into one
/// episode, reported when no later window can extend it. Keeps at most one and a half windows of intervals.
/// </summary>
internal sealed class IrregularityTracker
{
    private readonly double _fs;
    private readonly EcgAnalysisOptions _o;
    private readonly Action<Finding> _emit;
    private readonly int _size;
    private readonly List<RrInterval> _buffer = [];
    private int _bufferOffset;
    private int _count;
    private int _nextStart;
    private int _lastEvaluated = -1;
    private (long Start, long End, List<RrIrregularity> Measures)? _episode;

    public IrregularityTracker(double fs, EcgAnalysisOptions o, Action<Finding> emit)
    {
        _fs = fs;
        _o = o;
        _emit = emit;
        _size = Math.Max(RrIrregularity.MinIntervals, o.IrregularityWindowBeats);
    }

    public bool EpisodeOpen => _episode is not null;

    public void StretchStart()
    {
        _buffer.Clear();
        _bufferOffset = 0;
        _count = 0;
        _nextStart = 0;
        _lastEvaluated = -1;
    }

    public void Rr(RrInterval rr)
    {
        _buffer.Add(rr);
        _count++;
        while (_nextStart + _size <= _count)
        {
            Evaluate(_nextStart, _size);
            _lastEvaluated = _nextStart;
            _nextStart += _size / 2;
            Trim();
        }
    }

    public void StretchEnd()
    {
        if (_count >= RrIrregularity.MinIntervals && (_lastEvaluated < 0 || _lastEvaluated + _size < _count))
        {
            var start = Math.Max(0, _count - _size);
            Evaluate(start, Math.Min(_size, _count - start));
        }

        Complete(); // windows of later stretches start after this one ends
        StretchStart();
    }

    /// <summary>Closes the open episode (end of the stream).</summary>
    public void Complete()
    {
        if (_episode is { } e)
        {
            Report(e);
            _episode = null;
        }
    }

    private void Evaluate(int start, int count)
    {
        var seconds = new double[count];
        for (var i = 0; i < count; i++)
        {
            seconds[i] = _buffer[start - _bufferOffset + i].Seconds;
        }

        var m = RrIrregularity.Measure(seconds, _o.IrregularityNormalizedRmssd);
        if (m is not { IsIrregular: true })
        {
            return;
        }

        long from = _buffer[start - _bufferOffset].StartSample, to = _buffer[start - _bufferOffset + count - 1].EndSample;
        if (_episode is { } e && from <= e.End)
        {
            _episode = (e.Start, Math.Max(e.End, to), [.. e.Measures, m]);
            return;
        }

        if (_episode is { } done)
        {
            Report(done);
        }

        _episode = (from, to, [m]);
    }

    /// <summary>Drops intervals no later window needs; an episode no later window can reach is reported.</summary>
    private void Trim()
    {
        var drop = Math.Min(_nextStart, Math.Max(0, _count - _size)) - _bufferOffset;
        if (drop > 0)
        {
            _buffer.RemoveRange(0, drop);
            _bufferOffset += drop;
        }

        if (_episode is { } e && _buffer.Count > 0 && _nextStart - _bufferOffset < _buffer.Count && _buffer[_nextStart - _bufferOffset].StartSample > e.End)
        {
            Report(e);
            _episode = null;
        }
    }

    private void Report((long Start, long End, List<RrIrregularity> Measures) e)
    {
        var window = TimeWindow.FromSamples(e.Start, e.End, _fs);
        var nRmssd = e.Measures.Average(m => m.NormalizedRmssd);
        var cv = e.Measures.Average(m => m.CoefficientOfVariation);
        _emit(RhythmFinding.Rhythm(
            FindingKind.IrregularRhythm,
            FindingSeverity.Moderate,
            $"Irregularly irregular RR intervals for {RhythmFinding.F0(window.DurationSeconds)} s (RMSSD/mean RR {RhythmFinding.F2(nRmssd)}, "
            + $"CV {RhythmFinding.F2(cv)}): possible atrial fibrillation. Screening from RR intervals alone (no P-wave analysis): frequent "
            + "ectopic beats or sinus arrhythmia can mimic it and it cannot tell atrial fibrillation from flutter with variable block; "
            + "at least 30 s are needed for a diagnosis (2023 ACC/AHA/ACCP/HRS AF guideline), and an ECG reviewed by a clinician confirms it.",
            window,
            new FindingValues().Add("normalizedRmssd", nRmssd).Add("coefficientOfVariation", cv)
                .Add("durationSeconds", window.DurationSeconds).Build()));
    }
}
