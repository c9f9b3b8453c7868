namespace HealthBlock.Analysis;

/// <summary>
/// The streaming QRS detector: causal filters (<see cref="QrsFeatureStage"/>), candidate peaks
/// (<see cref="QrsPeakPicker"/>), adaptive thresholds (<see cref="QrsDecisionLogic"/>) and R-peak placement on short
/// rings of the filtered signals. Samples are taken in order, each exactly once; memory is bounded (rings of about a
/// second, at most a few hundred pending candidates). Non-finite samples end the current stretch: what is pending is
/// decided, every state is reset and learning starts again with the next valid sample.
/// </summary>
internal sealed class QrsDetectionCore : IQrsDecisionSink
{
    /// <summary>Samples beyond this magnitude are clipped so that arithmetic stays finite.</summary>
    private const double Limit = 1e9;

    private readonly QrsFeatureStage _stage;
    private readonly QrsPeakPicker _picker;
    private readonly QrsDecisionLogic _logic;
    private readonly SampleRing _band;
    private readonly SampleRing _wide;
    private readonly SampleRing _slope;
    private readonly IQrsSink _sink;
    private readonly BeatSequencer _sequencer;
    private readonly int _refractory;
    private readonly int _bandSearch;
    private readonly int _wideSearch;
    private readonly int _morphologyHalf;
    private readonly long _beatLead;
    private readonly int _coast;
    private readonly SampleRing _feature;
    private readonly HiddenBeatSearch _hidden;
    private readonly int _backgroundLength;
    private readonly double[] _scratch;
    private readonly Queue<long> _recentBeats = new();
    private readonly long _backgroundGuard;
    private readonly long _windowLength;
    private long _windowStart = -1;
    private long _segmentStart;
    private long _lastR = long.MinValue;
    private long _invalidStart = -1;
    private bool _running;
    private double _lastValue;

    public QrsDetectionCore(double fs, QrsDetectorOptions options, IQrsSink sink)
    {
        _sink = sink;
        _stage = new QrsFeatureStage(fs, options);
        _refractory = Math.Max(1, (int)Math.Round(options.RefractorySeconds * fs));
        _picker = new QrsPeakPicker(Math.Max(1, (int)Math.Round(DominanceSeconds * fs)));
        _logic = new QrsDecisionLogic(options, fs, _refractory, this);
        _sequencer = new BeatSequencer(sink, fs, _refractory);
        _bandSearch = _stage.IntegrationWidth / 2 + (int)Math.Round(0.04 * fs);
        _wideSearch = Math.Max(1, (int)Math.Round(0.05 * fs));
        _morphologyHalf = Math.Max(1, (int)Math.Round(QrsCandidate.MorphologyHalfSeconds * fs));
        var lookBack = _refractory + _stage.FeatureLag + _bandSearch + _wideSearch + _morphologyHalf + _stage.IntegrationWidth
            + Math.Abs(_stage.BandLag) + Math.Abs(_stage.WideLag) + 8;
        _backgroundLength = Math.Max(1, (int)Math.Round(BackgroundSeconds * fs));
        _windowLength = Math.Max(1, (long)Math.Round(GateWindowSeconds * fs));
        _feature = new SampleRing((int)Math.Max(_backgroundLength, _windowLength) + 1);
        _scratch = new double[Math.Max(_backgroundLength, (int)_windowLength) + 1];
        _backgroundGuard = (long)Math.Round(BackgroundGuardSeconds * fs);
        _coast = _stage.FeatureLag + _picker.Radius + _stage.IntegrationWidth;
        _beatLead = _stage.FeatureLag + _bandSearch + _wideSearch + Math.Abs(_stage.WideLag) + Math.Abs(_stage.BandLag) + 2;
        var held = lookBack + (int)Math.Round(HeldSeconds * fs);
        _band = new SampleRing(lookBack);
        _wide = new SampleRing(held);
        _slope = new SampleRing(held);
        _hidden = new HiddenBeatSearch(_wide, _feature, _slope, _morphologyHalf, _stage.WideLag, _stage.FeatureLag, _stage.IntegrationWidth);
    }

    /// <summary>Index of the next sample expected.</summary>
    public long NextSample { get; private set; }

    /// <summary>Items held by the detector's stages: bounded whatever the stream's length.</summary>
    public int Footprint => _logic.Footprint + _sequencer.Footprint + _recentBeats.Count;

    /// <summary>Signal level of the decision logic (for quality measures).</summary>
    public double SignalLevel => _logic.Learning ? 0 : _logic.SignalLevel;

    /// <summary>Noise level of the decision logic.</summary>
    public double NoiseLevel => _logic.NoiseLevel;

    /// <summary>The integrated feature of the last sample.</summary>
    public double Feature => _stage.Feature;

    /// <summary>No beat or span will be reported before this sample any more.</summary>
    public long Horizon
    {
        get
        {
            var beats = _running ? Math.Min(_logic.EarliestOpenIndex, NextSample - 1 - _picker.Radius) - _beatLead : NextSample;
            var h = _sequencer.EarliestOutput(beats);
            return _invalidStart >= 0 ? Math.Min(h, _invalidStart) : h;
        }
    }

    /// <summary>Starts the stream at <paramref name="firstSample"/> (before any sample was pushed, or after <see cref="Complete"/>).</summary>
    public void StartAt(long firstSample) => NextSample = firstSample;

    /// <summary>Analyses the next samples; non-finite values are invalid (lead-off, missing).</summary>
    public void Process(ReadOnlySpan<double> samples)
    {
        foreach (var v in samples)
        {
            var n = NextSample++;
            if (!double.IsFinite(v))
            {
                EndStretch(n);
                _invalidStart = _invalidStart < 0 ? n : _invalidStart;
                continue;
            }

            EndInvalid(n);

            var x = Math.Clamp(v, -Limit, Limit);
            _lastValue = x;
            if (!_running)
            {
                Start(n, x);
            }

            if (Feed(n, x, out var peak))
            {
                _logic.OnCandidate(Candidate(peak.Index, peak.Value, n));
            }

            _logic.Advance(n - _picker.Radius);
            Gate(n);
            _sequencer.Advance(Math.Min(_logic.EarliestOpenIndex, n - _picker.Radius) - _beatLead);
        }
    }

    /// <summary>Skips <paramref name="count"/> missing samples (a gap): the current stretch ends.</summary>
    public void Skip(long count)
    {
        if (count <= 0)
        {
            return;
        }

        EndStretch(NextSample);
        _invalidStart = _invalidStart < 0 ? NextSample : _invalidStart;
        NextSample += count;
    }

    /// <summary>Ends the signal: everything pending is decided.</summary>
    public void Complete()
    {
        EndStretch(NextSample);
        EndInvalid(NextSample);
    }

    /// <inheritdoc />
    public void Accept(QrsCandidate candidate, BeatMatch match, bool dominant, double dominantCorrelation, bool established, bool noisy, bool searchBack)
    {
        if (_lastR != long.MinValue && candidate.RPeak - _lastR < _refractory)
        {
            return; // two feature peaks placed on the same complex
        }

        _lastR = candidate.RPeak;
        _recentBeats.Enqueue(candidate.Index);
        while (_recentBeats.Count > 16)
        {
            _recentBeats.Dequeue();
        }

        _sequencer.Accepted(new QrsBeat(
            candidate.RPeak, candidate.Amplitude, candidate.Morphology, match.Template, match.Correlation, dominant, dominantCorrelation, established, noisy, searchBack));
    }

    /// <inheritdoc />
    public void Artefact(QrsCandidate candidate) => _sequencer.Artefact(candidate.RPeak);

    /// <inheritdoc />
    public QrsCandidate? FindHidden(double[] template, int edge, long fromR, long toR, double minFeature, double background, out double correlation) =>
        _hidden.Find(template, edge, fromR, toR, minFeature, _segmentStart, NextSample - 1, background, out correlation);

    /// <summary>Seconds of wide signal held for the hidden-beat search.</summary>
    internal const double HeldSeconds = 2.0;

    private void EndInvalid(long end)
    {
        if (_invalidStart >= 0)
        {
            _sink.Unreadable(_invalidStart, end, SignalIssue.LeadOff);
            _invalidStart = -1;
        }
    }

    private void Start(long n, double x)
    {
        _stage.Reset(x);
        _picker.Reset();
        _logic.Reset(n);
        _segmentStart = n;
        _running = true;
        _windowStart = -1;
    }

    private void EndStretch(long end)
    {
        if (!_running)
        {
            return;
        }

        Coast(end);
        foreach (var (index, value) in _picker.Flush())
        {
            OnEdgeCandidate(index, value, end, end + _coast - 1);
        }

        _logic.Flush(end - 1);
        CloseWindow(end);
        _sequencer.EndStretch(end);
        _running = false;
    }

    internal const double DominanceSeconds = 0.2;

    /// <summary>Runs sample <paramref name="n"/> through the feature stage into the rings and the peak picker.</summary>
    private bool Feed(long n, double x, out (long Index, double Value) peak)
    {
        _stage.Step(x);
        _band[n] = _stage.Band;
        _wide[n] = _stage.Wide;
        _slope[n] = _stage.Slope;
        _feature[n] = _stage.Feature;
        return _picker.Step(n, _stage.Feature, out peak);
    }

    /// <summary>
    /// The stretch ends at <paramref name="end"/>: the filters are run on, holding the last valid value, for as long as
    /// the feature lags the signal and the picker waits, so that a complex the end cut off is judged from what was recorded
    /// (a flat continuation adds no slope). Only candidates whose R peak lies before the end are taken; time does not
    /// advance for the decision logic.
    /// </summary>
    private void Coast(long end)
    {
        for (var n = end; n < end + _coast; n++)
        {
            if (Feed(n, _lastValue, out var peak))
            {
                OnEdgeCandidate(peak.Index, peak.Value, end, n);
            }
        }
    }

    private void OnEdgeCandidate(long index, double value, long end, long now)
    {
        var candidate = Candidate(index, value, now);
        if (candidate.RPeak < end)
        {
            _logic.OnCandidate(candidate);
        }
    }

    /// <summary>Noise gate window, seconds.</summary>
    internal const double GateWindowSeconds = 2.0;

    /// <summary>A window whose mean feature exceeds this fraction of the signal level is unreadable.</summary>
    internal const double GateRatio = 0.5;

    /// <summary>Accumulates the noise gate's window (fixed grid of absolute sample indices) and judges it when it ends.</summary>
    private void Gate(long n)
    {
        if (_windowStart < 0)
        {
            _windowStart = n;
        }

        if ((n + 1) % _windowLength == 0)
        {
            CloseWindow(n + 1);
        }
    }

    private void CloseWindow(long end)
    {
        if (_windowStart < 0)
        {
            return;
        }

        var spk = SignalLevel;
        var level = FeatureQuantile(_windowStart, end - 1, BackgroundQuantile);
        _sequencer.Window(_windowStart, end, spk > 0 && level > GateRatio * spk);
        _windowStart = -1;
    }

    /// <summary>Seconds of feature whose median is a candidate's background.</summary>
    internal const double BackgroundSeconds = 1.5;

    internal const double BackgroundQuantile = 0.2;

    /// <summary>
    /// The noise floor around a candidate: a low quantile of the integrated feature over the last
    /// <see cref="BackgroundSeconds"/>, leaving out ±<see cref="BackgroundGuardSeconds"/> around every beat accepted in
    /// that time and around the candidate itself, so that fast or wide complexes do not count as noise. Zero when too
    /// little is left to judge.
    /// </summary>
    private double Background(long candidate, long now)
    {
        var from = Math.Max(_segmentStart, now - _backgroundLength + 1);
        var guard = _backgroundGuard;
        Span<(long From, long To)> excluded = stackalloc (long, long)[_recentBeats.Count + 1];
        var e = 0;
        foreach (var b in _recentBeats)
        {
            excluded[e++] = (b - guard, b + guard);
        }

        excluded[e++] = (candidate - guard, candidate + guard);
        excluded[..e].Sort();
        var count = 0;
        var k = 0;
        for (var i = from; i <= now; i++)
        {
            while (k < e && excluded[k].To < i)
            {
                k++;
            }

            if (k < e && excluded[k].From <= i)
            {
                continue;
            }

            _scratch[count++] = _feature[i];
        }

        if (count < _backgroundLength / 5)
        {
            return 0;
        }

        return OrderStatistic.Select(_scratch.AsSpan(0, count), (int)(BackgroundQuantile * (count - 1)));
    }

    internal const double BackgroundGuardSeconds = 0.2;

    /// <summary>A quantile of the integrated feature over <c>[from, to]</c> (at most the ring's length).</summary>
    private double FeatureQuantile(long from, long to, double quantile)
    {
        var count = (int)Math.Min(_scratch.Length, to - from + 1);
        if (count <= 0)
        {
            return 0;
        }

        var span = _scratch.AsSpan(0, count);
        _feature.CopyTo(to - count + 1, span);
        return OrderStatistic.Select(span, (int)(quantile * (count - 1)));
    }

    private QrsCandidate Candidate(long index, double value, long now)
    {
        var slope = 0.0;
        for (var i = Math.Max(_segmentStart, index - _stage.IntegrationWidth + 1); i <= Math.Min(now, index); i++)
        {
            slope = Math.Max(slope, _slope[i]);
        }

        var bandCentre = index - _stage.FeatureLag + _stage.BandLag;
        var j = _band.ArgMaxAbs(Clamp(bandCentre - _bandSearch, now), Clamp(bandCentre + _bandSearch, now));
        var wideCentre = j - _stage.BandLag + _stage.WideLag;
        var k = _wide.ArgMaxAbs(Clamp(wideCentre - _wideSearch, now), Clamp(wideCentre + _wideSearch, now));
        var morphology = new double[2 * _morphologyHalf + 1];
        for (var m = 0; m < morphology.Length; m++)
        {
            morphology[m] = _wide[Clamp(k - _morphologyHalf + m, now)];
        }

        var r = Math.Max(_segmentStart, k - _stage.WideLag);
        return new QrsCandidate(index, value, slope, r, morphology, Background(index, now));
    }

    private long Clamp(long index, long now) => Math.Clamp(index, _segmentStart, now);
}
