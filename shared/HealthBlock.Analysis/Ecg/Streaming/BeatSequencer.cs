namespace HealthBlock.Analysis;

/// <summary>
/// The last stage of the streaming QRS detector. It holds accepted beats until they are final and then:
/// drops a beat found in a noisy context that splits one normal cycle in two (a short interval followed by the rest of a
/// normal one: an intruding artefact, whereas an ectopic beat is followed by a compensatory pause or a full cycle);
/// drops the beats of a window the noise gate found unreadable and reports the window; and reports as unreadable a long
/// gap between beats in a noisy context or with rejected artefacts in it (a beat is likely hidden there: it is neither
/// guessed nor reported as a pause). Output is in time order.
/// </summary>
internal sealed class BeatSequencer
{
    private const int RrHistoryLength = 8;

    private readonly IQrsSink _sink;
    private readonly double _fs;
    private readonly int _refractory;
    private readonly int _maxLag;
    private readonly RrHistory _rr = new(RrHistoryLength);
    private readonly RrHistory _nn = new(RrHistoryLength);
    private readonly List<long> _artefacts = [];
    private readonly Queue<QrsBeat> _queue = new();
    private readonly List<GateWindow> _windows = [];
    private readonly List<long> _windowArtefacts = [];
    private QrsBeat? _lastBeat;
    private double _holdLimit = -1;

    public BeatSequencer(IQrsSink sink, double fs, int refractory)
    {
        _sink = sink;
        _fs = fs;
        _refractory = refractory;
        _maxLag = Math.Max(1, (int)Math.Round(BeatTemplateBank.LagSeconds * fs));
    }

    /// <summary>Shortest first interval, as a fraction of the median RR, for a beat not to be an intruder.</summary>
    internal const double IntruderFraction = 0.75;

    /// <summary>Longest cycle, as a fraction of the median RR, that an intruder splits.</summary>
    internal const double SplitCycleFraction = 1.35;

    /// <summary>Gap, as a multiple of the median RR, beyond which a gap with artefacts is unreadable.</summary>
    internal const double GapFactor = 1.6;

    /// <summary>The earliest sample an output of this sequencer may still start at, given that no beat before
    /// <paramref name="beatHorizon"/> will be accepted any more.</summary>
    public long EarliestOutput(long beatHorizon)
    {
        var h = beatHorizon;
        if (_queue.Count > 0)
        {
            h = Math.Min(h, _queue.Peek().Sample);
        }

        if (_windows.Count > 0)
        {
            h = Math.Min(h, _windows[0].Start);
        }

        return _lastBeat is { } last ? Math.Min(h, last.Sample + _refractory / 2) : h;
    }

    /// <summary>A beat accepted by the decision logic (in time order).</summary>
    public void Accepted(QrsBeat beat) => _queue.Enqueue(beat);

    /// <summary>Artefacts rejected in a window that make it unreadable.</summary>
    internal const int WindowArtefacts = 2;

    /// <summary>Fraction of a window's beats that match their template poorly (&lt; 0.8) that makes it unreadable.</summary>
    internal const double WindowPoorMatchFraction = 0.5;

    /// <summary>Items held: bounded whatever the stream's length.</summary>
    public int Footprint => _queue.Count + _windows.Count + _artefacts.Count + _windowArtefacts.Count + _rr.Count + _nn.Count;

    /// <summary>A candidate rejected as an artefact at <paramref name="sample"/>.</summary>
    public void Artefact(long sample)
    {
        _artefacts.Add(sample);
        _windowArtefacts.Add(sample);
    }

    /// <summary>The window <c>[start, end)</c> has ended; <paramref name="noisy"/> when its feature level was too high.</summary>
    public void Window(long start, long end, bool noisy) => _windows.Add(new GateWindow(start, end, noisy));

    /// <summary>No beat before <paramref name="horizon"/> (input sample index) will be accepted any more.</summary>
    public void Advance(long horizon)
    {
        for (var i = 0; i < _windows.Count && horizon >= _windows[i].End; i++)
        {
            if (_windows[i].Unreadable is null)
            {
                Judge(_windows[i]);
            }
        }

        while (true)
        {
            if (_windows.Count > 0 && _windows[0].Unreadable is { } unreadable
                && (_queue.Count == 0 ? horizon >= _windows[0].End : _queue.Peek().Sample >= _windows[0].End))
            {
                // Every beat of the window is final.
                var w = _windows[0];
                _windows.RemoveAt(0);
                _windowArtefacts.RemoveAll(a => a < w.End);
                if (unreadable)
                {
                    Break();
                    _sink.Unreadable(w.Start, w.End, SignalIssue.Artefact);
                }

                continue;
            }

            if (_queue.Count == 0)
            {
                return;
            }

            var beat = _queue.Peek();
            var window = WindowOf(beat.Sample);
            if (window is null)
            {
                return; // its window is not judged yet
            }

            QrsBeat? next = null;
            if (_queue.Count > 1)
            {
                using var e = _queue.GetEnumerator();
                e.MoveNext();
                e.MoveNext();
                next = e.Current;
            }
            if (next is null && horizon - beat.Sample <= HoldLimit())
            {
                return; // a later beat may still show it to be an intruder
            }

            _queue.Dequeue();
            if (window.Value)
            {
                continue; // dropped with its unreadable window (reported when the window is dequeued)
            }

            if (next is { } n && IsIntruder(beat, n))
            {
                _artefacts.Add(beat.Sample);
                continue;
            }

            Emit(beat);
        }
    }

    /// <summary>The stretch ends (gap, invalid samples or end of signal): everything held is final.</summary>
    public void EndStretch(long end)
    {
        Advance(long.MaxValue);
        foreach (var w in _windows)
        {
            if (w.Unreadable == true)
            {
                _sink.Unreadable(w.Start, Math.Min(w.End, end), SignalIssue.Artefact);
            }
        }

        _windows.Clear();
        _windowArtefacts.Clear();

        Break();
        _rr.Clear();
        _nn.Clear();
        _holdLimit = -1;
    }

    private bool? WindowOf(long sample)
    {
        foreach (var w in _windows)
        {
            if (sample >= w.Start && sample < w.End)
            {
                return w.Unreadable;
            }
        }

        return _windows.Count > 0 && sample < _windows[0].Start ? false : null;
    }

    /// <summary>Unreadable when the feature level was too high, when artefacts were rejected repeatedly, or when most of
    /// its beats match their template poorly.</summary>
    private void Judge(GateWindow w)
    {
        var artefacts = _windowArtefacts.Count(a => a >= w.Start && a < w.End);
        var beats = _queue.Where(b => b.Sample >= w.Start && b.Sample < w.End).ToList();
        var poor = beats.Count(b => b.Noisy && b.Template >= 0 && b.Correlation < 0.8);
        w.Unreadable = w.Noisy || artefacts >= WindowArtefacts || (beats.Count > 0 && poor >= WindowPoorMatchFraction * beats.Count);
    }

    private void Break()
    {
        _lastBeat = null;
        _artefacts.Clear();
    }

    private double HoldLimit()
    {
        if (_holdLimit < 0)
        {
            _holdLimit = _rr.Count < 2 ? 1.5 * _fs : SplitCycleFraction * MedianRr();
        }

        return _holdLimit;
    }

    private bool IsIntruder(QrsBeat beat, QrsBeat following)
    {
        if (_lastBeat is not { } last || _nn.Count < 2)
        {
            return false;
        }

        // The usual normal-to-normal cycle: an intruder splits one; an ectopic beat is followed by a compensatory pause.
        var median = _nn.Median();
        var cycle = following.Sample - last.Sample;
        if (beat.Sample - last.Sample >= IntruderFraction * median || cycle >= SplitCycleFraction * median)
        {
            return false;
        }

        var b = Normality(beat);
        var f = Normality(following);
        var onTime = Math.Abs(cycle - median) <= OnTimeFraction * median;
        var asymmetric = Math.Abs(2 * beat.Sample - last.Sample - following.Sample) > AsymmetryFraction * cycle;
        if (onTime && NormalLike(last) && (asymmetric || (b < 0.8 && f >= b + 0.1)) && _nn.Count >= 4 && _nn.Spread() <= RegularSpread * median
            && !(b < 0.8 && f < 0.8 && SameClass(beat, following)))
        {
            // A steady rhythm went on undisturbed: the next beat came when the one before this predicted. A real early
            // beat resets or pauses the rhythm; only an interpolated ectopic beat does not (and cannot be told from an
            // artefact here). Two beats of one other class are a run; a normal-looking beat that halves the cycle may mean the
            // rate doubled.
            return true;
        }

        if (f < NormalCorrelation && !(onTime && f >= 0.75 && f >= b + 0.1))
        {
            return false; // between two beats of other shapes (a run): not an intruder into a normal cycle
        }

        return OddAmplitude(beat, last, following)
            || b < 0.8
            || (b < NormalCorrelation && b < f - 0.05)
            || (beat.Noisy && b < f - 0.05);
    }

    /// <summary>A beat this far (as a fraction of the cycle) from the middle of the cycle does not halve it.</summary>
    internal const double AsymmetryFraction = 0.15;

    /// <summary>Normal-to-normal intervals (all but the shortest and the longest) within this fraction of their median of
    /// each other make a steady rhythm.</summary>
    internal const double RegularSpread = 0.25;

    /// <summary>Two beats of one class: the same learnt template other than the dominant one, or alike in shape.</summary>
    private bool SameClass(QrsBeat a, QrsBeat b) =>
        (a.Template >= 0 && a.Template == b.Template && !a.Dominant)
        || BeatTemplateBank.BestCorrelation(a.Morphology, b.Morphology, _maxLag) >= 0.8;

    /// <summary>Correlation from which a beat has the dominant (normal) shape.</summary>
    internal const double NormalCorrelation = 0.9;

    /// <summary>A cycle within this fraction of the median normal-to-normal interval is on time.</summary>
    internal const double OnTimeFraction = 0.2;

    /// <summary>How much a beat looks like the dominant beats: its correlation with the dominant template.</summary>
    private static double Normality(QrsBeat b) => Math.Max(b.DominantCorrelation, b.Dominant ? b.Correlation : 0);

    /// <summary>Far smaller or larger than both its neighbours (the feature grows with the QRS amplitude).</summary>
    private static bool OddAmplitude(QrsBeat beat, QrsBeat last, QrsBeat following) =>
        beat.Amplitude < 0.5 * Math.Min(last.Amplitude, following.Amplitude)
        || beat.Amplitude > 2 * Math.Max(last.Amplitude, following.Amplitude);

    private void Emit(QrsBeat beat)
    {
        if (_lastBeat is { } last)
        {
            var gap = beat.Sample - last.Sample;
            var artefacts = _artefacts.Count(a => a > last.Sample && a < beat.Sample);
            var noisy = artefacts > 0 || (last.Noisy && beat.Noisy);
            if (noisy && _rr.Count >= 2 && gap > GapFactor * MedianRr())
            {
                _sink.Unreadable(last.Sample + _refractory / 2, beat.Sample - _refractory / 2, SignalIssue.Artefact);
            }
            else
            {
                _rr.Add(gap);
                _holdLimit = -1;
                if (NormalLike(last) && NormalLike(beat))
                {
                    _nn.Add(gap);
                }

            }
        }

        _artefacts.RemoveAll(a => a <= beat.Sample);
        _lastBeat = beat;
        _sink.Beat(beat);
    }

    private sealed class GateWindow(long start, long end, bool noisy)
    {
        public long Start { get; } = start;

        public long End { get; } = end;

        public bool Noisy { get; } = noisy;

        public bool? Unreadable { get; set; }
    }

    private static bool NormalLike(QrsBeat b) => Normality(b) >= NormalCorrelation;

    private double MedianRr() => _rr.Median();
}
