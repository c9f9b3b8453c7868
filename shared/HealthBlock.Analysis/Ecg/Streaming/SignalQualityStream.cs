namespace HealthBlock.Analysis;

/// <summary>
/// The absolute signal-quality checks of <see cref="EcgAnalyzer"/>, sample by sample on a fixed grid of windows
/// (<see cref="EcgAnalysisOptions.QualityWindowSeconds"/>, aligned on absolute sample indices): lead-off (flag or
/// non-finite sample, padded by <see cref="EcgAnalysisOptions.LeadOffPaddingSeconds"/> on both sides), flatline,
/// saturation and high-frequency noise (a causal fourth-order 40 Hz high-pass with 50 and 60 Hz notches, robust
/// level). A window is judged
/// once the lead-off padding after it is known; spans come out through the callback.
/// </summary>
internal sealed class SignalQualityStream
{
    private readonly EcgAnalysisOptions _o;
    private readonly Action<EcgSpan> _emit;
    private readonly long _window;
    private readonly long _pad;
    private readonly int _minRun;
    private readonly double _minClipped;
    private readonly long _clipMargin;

    /// <summary>Margin around a clipped stretch reported unreadable with it, seconds.</summary>
    internal const double ClipMarginSeconds = 0.25;
    private readonly Biquad? _hp;
    private readonly Biquad? _notch50;
    private readonly Biquad? _notch60;
    private double _n1, _n2, _n3, _n4;
    private readonly double[] _x;
    private readonly double[] _hf;
    private readonly bool[] _off;
    private readonly int _mask;
    private double _h1, _h2, _h3, _h4;
    private bool _filterStarted;
    private long _next;
    private long _windowStart = -1;
    private long _runStart = -1;
    private long _paddedUntil = long.MinValue;

    public SignalQualityStream(double fs, EcgAnalysisOptions options, Action<EcgSpan> emit)
    {
        _o = options;
        _emit = emit;
        _window = Math.Max(1, (long)Math.Round(options.QualityWindowSeconds * fs));
        _pad = (long)Math.Round(options.LeadOffPaddingSeconds * fs);
        _minRun = Math.Max(2, (int)Math.Ceiling(options.SaturationRunSeconds * fs));
        _minClipped = options.SaturationTotalSeconds * fs;
        _clipMargin = (long)Math.Round(ClipMarginSeconds * fs);
        _hp = fs >= 2.5 * options.NoiseCutoffHz ? Biquad.HighPass(options.NoiseCutoffHz, fs) : null;
        _notch50 = fs > 2 * 55 ? Biquad.Notch(50, 5, fs) : null;
        _notch60 = fs > 2 * 65 ? Biquad.Notch(60, 5, fs) : null;
        var capacity = 16;
        while (capacity < _window + 2 * _pad + 2)
        {
            capacity <<= 1;
        }

        _x = new double[capacity];
        _hf = new double[capacity];
        _off = new bool[capacity];
        _mask = capacity - 1;
    }

    /// <summary>No span will start before this sample any more.</summary>    /// <summary>Windows waiting to be judged.</summary>
    public int Footprint => _pendingWindows.Count;


    public long Horizon
    {
        get
        {
            var h = _next - _pad;
            if (_windowStart >= 0)
            {
                h = Math.Min(h, _windowStart);
            }

            return _runStart >= 0 ? Math.Min(h, _runStart - _pad) : h;
        }
    }

    public void StartAt(long sample)
    {
        _next = sample;
        _first = sample;
        _paddedUntil = long.MinValue;
    }

    /// <summary>One sample in millivolts (non-finite or <paramref name="leadOff"/>: electrode off).</summary>
    public void Step(double mv, bool leadOff)
    {
        var n = _next++;
        var bad = leadOff || !double.IsFinite(mv);
        var i = (int)(n & _mask);
        _x[i] = double.IsFinite(mv) ? mv : 0;
        _off[i] = bad || n < _paddedUntil;
        if (bad)
        {
            if (_runStart < 0)
            {
                _runStart = n;
                MarkBefore(n);
            }

            _hf[i] = 0;
            _filterStarted = false;
        }
        else
        {
            EndRun(n);
            _hf[i] = HighPass(mv);
        }

        if (_windowStart < 0)
        {
            _windowStart = n;
        }

        if ((n + 1) % _window == 0)
        {
            _pendingWindows.Enqueue((_windowStart, n + 1));
            _windowStart = -1;
        }

        while (_pendingWindows.TryPeek(out var w) && n + 1 >= w.End + _pad)
        {
            _pendingWindows.Dequeue();
            Judge(w.Start, w.End);
        }
    }

    /// <summary>A gap of <paramref name="count"/> missing samples (judged as lead-off without being stored).</summary>
    public void Skip(long count)
    {
        if (count <= 0)
        {
            return;
        }

        var start = _next;
        MarkBefore(start);
        Flush(start);
        _emit(new EcgSpan(Math.Max(start - _pad, _first), start + count + _pad, SignalIssue.LeadOff | SignalIssue.Missing));
        _next = start + count;
        _paddedUntil = _next + _pad;
        _filterStarted = false;
    }

    /// <summary>The stream ends (or a gap begins): judges what is pending with what is known.</summary>
    public void Flush(long end)
    {
        EndRun(end, atEnd: true);
        if (_windowStart >= 0 && end > _windowStart)
        {
            _pendingWindows.Enqueue((_windowStart, end));
        }

        _windowStart = -1;
        while (_pendingWindows.TryDequeue(out var w))
        {
            Judge(w.Start, w.End);
        }
    }

    private readonly Queue<(long Start, long End)> _pendingWindows = new();
    private long _first = long.MinValue;

    /// <summary>Marks the lead-off padding before a bad run starting at <paramref name="n"/> (those samples are in
    /// windows not judged yet, which wait for the padding after them).</summary>
    private void MarkBefore(long n)
    {
        for (var k = Math.Max(n - _pad, _first); k < n; k++)
        {
            _off[(int)(k & _mask)] = true;
        }
    }

    private void EndRun(long end, bool atEnd = false)
    {
        if (_runStart < 0)
        {
            return;
        }

        var padEnd = atEnd ? end : end + _pad;
        _emit(new EcgSpan(Math.Max(_runStart - _pad, _first), padEnd, SignalIssue.LeadOff));
        _paddedUntil = padEnd;
        _runStart = -1;
    }

    private double HighPass(double v)
    {
        if (_hp is not { } hp)
        {
            return 0;
        }

        if (!_filterStarted)
        {
            hp.SteadyState(v, out _h1, out _h2);
            hp.SteadyState(0, out _h3, out _h4);
            _notch50?.SteadyState(0, out _n1, out _n2);
            _notch60?.SteadyState(0, out _n3, out _n4);
            _filterStarted = true;
        }

        var y = hp.Step(v, ref _h1, ref _h2);
        y = hp.Step(y, ref _h3, ref _h4);

        // Mains interference is not noise the detector cannot read through (its band-pass removes it): notch it out.
        if (_notch50 is { } n50)
        {
            y = n50.Step(y, ref _n1, ref _n2);
        }

        return _notch60 is { } n60 ? n60.Step(y, ref _n3, ref _n4) : y;
    }

    private void Judge(long start, long end)
    {
        double max = double.MinValue, min = double.MaxValue;
        var count = 0;
        for (var n = start; n < end; n++)
        {
            var i = (int)(n & _mask);
            if (_off[i])
            {
                continue;
            }

            max = Math.Max(max, _x[i]);
            min = Math.Min(min, _x[i]);
            count++;
        }

        if (count < Math.Max(2, (end - start) / 4))
        {
            return; // mostly lead-off already
        }

        if (max - min < _o.FlatlinePeakToPeakMv)
        {
            _emit(new EcgSpan(start, end, SignalIssue.Flatline));
            return;
        }

        var noisy = _hp is not null && RobustSigma(start, end) > _o.NoiseSigmaMv;
        var (clipped, from, to) = Clipped(start, end, max, min);
        if (clipped >= _minClipped && !noisy)
        {
            // Only the clipped stretch (and a margin for the edges) is lost, not the beats around it.
            _emit(new EcgSpan(Math.Max(start, from - _clipMargin), Math.Min(end, to + _clipMargin), SignalIssue.Saturation));
        }
        else if (clipped >= _minClipped || noisy)
        {
            _emit(new EcgSpan(start, end, (clipped >= _minClipped ? SignalIssue.Saturation : SignalIssue.None) | (noisy ? SignalIssue.HighFrequencyNoise : SignalIssue.None)));
        }
    }

    /// <summary>Samples in runs of identical values (≥ the minimum run) at the window's extremes (within 1 % of its
    /// range: a rail reached through a filter or a decaying return is not exactly the extreme), and where those runs
    /// begin and end.</summary>
    private (int Total, long From, long To) Clipped(long start, long end, double max, double min)
    {
        var total = 0;
        long from = end, to = start;
        var near = 0.01 * (max - min);
        var n = start;
        while (n < end)
        {
            var v = _x[(int)(n & _mask)];
            var m = n + 1;
            while (m < end && _x[(int)(m & _mask)] == v)
            {
                m++;
            }

            if ((v >= max - near || v <= min + near) && m - n >= _minRun)
            {
                total += (int)(m - n);
                from = Math.Min(from, n);
                to = Math.Max(to, m);
            }

            n = m;
        }

        return (total, from, to);
    }

    private double[] _sigmaScratch = [];

    private double RobustSigma(long start, long end)
    {
        if (_sigmaScratch.Length < end - start)
        {
            _sigmaScratch = new double[end - start];
        }

        var values = _sigmaScratch;
        var count = 0;
        for (var n = start; n < end; n++)
        {
            var i = (int)(n & _mask);
            if (!_off[i])
            {
                values[count++] = Math.Abs(_hf[i]);
            }
        }

        if (count == 0)
        {
            return 0;
        }

        return 1.4826 * OrderStatistic.Select(values.AsSpan(0, count), count / 2);
    }
}
