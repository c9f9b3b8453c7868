namespace HealthBlock.Analysis;

/// <summary>
/// Merges the detector's beats and unreadable spans with the signal-quality spans into one final, ordered timeline:
/// unreadable runs (overlapping or touching spans merged, reasons combined) and readable stretches with their beats.
/// A readable stretch shorter than <see cref="EcgAnalysisOptions.MinSegmentSeconds"/> between unreadable runs (or the
/// ends of the stream) is not analysed: it joins the unreadable run as <see cref="SignalIssue.TooShort"/>. Beats of a
/// stretch are released once it is long enough; an unreadable run is released once the stretch after it is.
/// </summary>
internal sealed class EcgStreamAssembler
{
    private readonly IEcgStreamOutput _output;
    private readonly long _minStretch;
    private readonly Queue<QrsBeat> _beats = new();
    private readonly List<EcgSpan> _spans = [];
    private readonly List<QrsBeat> _held = [];
    private long _final;
    private bool _started;
    private long _stretchStart = -1;
    private bool _established;
    private EcgSpan? _run;

    public EcgStreamAssembler(double fs, EcgAnalysisOptions options, IEcgStreamOutput output)
    {
        _output = output;
        _minStretch = (long)Math.Round(options.MinSegmentSeconds * fs);
    }

    /// <summary>Nothing will be reported before this sample any more.</summary>
    public long FinalThrough => _run is { } run ? run.StartSample : _stretchStart >= 0 && !_established ? _stretchStart : _final;

    /// <summary>True while the timeline is in an unreadable run.</summary>    /// <summary>Items held: bounded whatever the stream's length.</summary>
    public int Footprint => _beats.Count + _spans.Count + _held.Count;


    public bool InUnreadable => _run is { } run && run.EndSample > _final;

    public void StartAt(long sample)
    {
        _final = sample;
        _started = true;
    }

    public void Beat(QrsBeat beat)
    {
        if (beat.Sample >= _final)
        {
            _beats.Enqueue(beat);
        }
    }

    public void Span(EcgSpan span)
    {
        var start = Math.Max(span.StartSample, _final);
        if (span.EndSample <= start)
        {
            return;
        }

        var clipped = span with { StartSample = start };
        var at = _spans.FindIndex(s => s.StartSample > start);
        _spans.Insert(at < 0 ? _spans.Count : at, clipped);
    }

    /// <summary>Everything before <paramref name="horizon"/> is known: decide it.</summary>
    public void Advance(long horizon)
    {
        while (_started && _final < horizon)
        {
            if (_run is { } run && run.EndSample > _final)
            {
                // Inside an unreadable run: absorb every span that starts before it ends.
                while (_spans.Count > 0 && _spans[0].StartSample <= run.EndSample && _spans[0].StartSample < horizon)
                {
                    run = new EcgSpan(run.StartSample, Math.Max(run.EndSample, _spans[0].EndSample), run.Issues | _spans[0].Issues);
                    _spans.RemoveAt(0);
                }

                _run = run;
                var until = Math.Min(run.EndSample, horizon);
                DropBeats(until);
                _final = until;
                if (_final == run.EndSample)
                {
                    _stretchStart = _final;
                    _established = false;
                }

                continue;
            }

            if (_stretchStart < 0)
            {
                _stretchStart = _final;
                _established = false;
            }

            var next = _spans.Count > 0 && _spans[0].StartSample < horizon ? _spans[0].StartSample : horizon;
            while (_beats.Count > 0 && _beats.Peek().Sample < next)
            {
                var beat = _beats.Dequeue();
                if (_established)
                {
                    _output.Beat(beat);
                }
                else
                {
                    _held.Add(beat);
                }
            }

            _final = next;
            Establish();
            if (next < horizon || (_spans.Count > 0 && _spans[0].StartSample == next))
            {
                EndStretch(next);
                var span = _spans[0];
                _spans.RemoveAt(0);
                _run = _run is { } open && open.EndSample >= span.StartSample
                    ? new EcgSpan(open.StartSample, Math.Max(open.EndSample, span.EndSample), open.Issues | span.Issues)
                    : span;
            }
        }
    }

    /// <summary>The stream ends at <paramref name="end"/>: everything is decided and released.</summary>
    public void Complete(long end)
    {
        Advance(end);
        EndStretch(end);
        ReleaseRun(end);
    }

    private void Establish()
    {
        if (_established || _stretchStart < 0 || _final - _stretchStart < _minStretch)
        {
            return;
        }

        ReleaseRun(_stretchStart);
        _established = true;
        _output.ReadableStart(_stretchStart);
        foreach (var b in _held)
        {
            _output.Beat(b);
        }

        _held.Clear();
    }

    /// <summary>The readable stretch ends at <paramref name="end"/>; too short, it joins the unreadable run.</summary>
    private void EndStretch(long end)
    {
        if (_stretchStart < 0 || end <= _stretchStart)
        {
            _stretchStart = -1;
            return;
        }

        if (_established)
        {
            _output.ReadableEnd(_stretchStart, end);
        }
        else
        {
            _held.Clear();
            _run = _run is { } open
                ? new EcgSpan(open.StartSample, end, open.Issues | SignalIssue.TooShort)
                : new EcgSpan(_stretchStart, end, SignalIssue.TooShort);
        }

        _stretchStart = -1;
        _established = false;
    }

    private void ReleaseRun(long until)
    {
        if (_run is { } run)
        {
            _output.Unreadable(run with { EndSample = Math.Min(run.EndSample, Math.Max(until, run.StartSample)) });
            _run = null;
        }
    }

    private void DropBeats(long before)
    {
        while (_beats.Count > 0 && _beats.Peek().Sample < before)
        {
            _beats.Dequeue();
        }
    }
}
