namespace HealthBlock.Analysis;

/// <summary>
/// Turns final beats and readable stretches into findings as they happen: pauses (an RR interval ≥
/// <see cref="EcgAnalysisOptions.PauseSeconds"/>), ventricular runs (≥ 3 consecutive V beats), bradycardia and
/// tachycardia episodes (<see cref="RateEpisodeTracker"/>), irregular rhythm (<see cref="IrregularityTracker"/>), and at
/// the end the heart-rate summary and the signal-quality findings. RR intervals never span an unreadable stretch.
/// Memory is bounded: running sums, the open epoch and at most 48 RR intervals.
/// </summary>
internal sealed class RhythmTracker
{
    private const int MinRunBeats = 3;

    private readonly double _fs;
    private readonly EcgAnalysisOptions _o;
    private readonly Action<Finding> _emit;
    private readonly RateEpisodeTracker _rate;
    private readonly IrregularityTracker _irregularity;
    private readonly QualityTally _leadOff = new();
    private readonly QualityTally _poor = new();
    private EcgBeat? _previous;
    private long _runStart;
    private long _runEnd;
    private long _analysedSamples;
    private long _firstAnalysed = -1;
    private long _lastAnalysed;
    private int _beats;
    private int _ventricular;
    private int _rrCount;
    private double _rrSum;
    private double _rrSumSq;
    private double _diffSumSq;
    private int _diffs;
    private double? _previousRr;
    private double _minRrBpm = double.MaxValue;
    private double _maxRrBpm;

    public RhythmTracker(double fs, EcgAnalysisOptions o, Action<Finding> emit)
    {
        _fs = fs;
        _o = o;
        _emit = emit;
        _rate = new RateEpisodeTracker(fs, o, emit);
        _irregularity = new IrregularityTracker(fs, o, emit);
    }

    /// <summary>Consecutive V beats up to the last beat.</summary>
    public int VentricularInRow { get; private set; }

    /// <summary>Sample of the last beat.</summary>
    public long? LastBeat { get; private set; }

    public void StretchStart(long start)
    {
        _previous = null;
        _previousRr = null;
        _rate.StretchStart(start);
        _irregularity.StretchStart();
    }

    public void Beat(EcgBeat beat)
    {
        _beats++;
        LastBeat = beat.Sample;
        if (beat.Label == AnnotationCode.PrematureVentricular)
        {
            _ventricular++;
            _runStart = VentricularInRow == 0 ? beat.Sample : _runStart;
            _runEnd = beat.Sample;
            VentricularInRow++;
        }
        else
        {
            CloseRun();
        }

        if (_previous is { } p)
        {
            Rr(new RrInterval(p.Sample, beat.Sample, (beat.Sample - p.Sample) / _fs), p.Label == AnnotationCode.Normal && beat.Label == AnnotationCode.Normal);
        }

        _previous = beat;
    }

    public void StretchEnd(long start, long end)
    {
        CloseRun();
        _rate.StretchEnd();
        _irregularity.StretchEnd();
        _previous = null;
        _previousRr = null;
        _analysedSamples += end - start;
        _firstAnalysed = _firstAnalysed < 0 ? start : _firstAnalysed;
        _lastAnalysed = end;
    }

    /// <summary>A final unreadable span (for the signal-quality findings).</summary>
    public void Excluded(EcgSpan span)
    {
        var leadOff = (span.Issues & (SignalIssue.LeadOff | SignalIssue.Missing)) != 0;
        (leadOff ? _leadOff : _poor).Add(span);
    }

    public RhythmState State(bool readable) => new(
        _rate.LastEpochBpm, _rate.BradycardiaOpen, _rate.TachycardiaOpen, _irregularity.EpisodeOpen, VentricularInRow, LastBeat, readable);

    /// <summary>The summary over everything analysed, or null with fewer than two RR intervals.</summary>
    public HeartRateSummary? Summary()
    {
        if (_rrCount < 2)
        {
            return null;
        }

        var mean = _rrSum / _rrCount;
        var sd = Math.Sqrt(Math.Max(0, (_rrSumSq - _rrCount * mean * mean) / (_rrCount - 1)));
        return new HeartRateSummary(
            _beats, _rrCount, 60.0 / mean, _rate.MinEpochBpm ?? _minRrBpm, _rate.MaxEpochBpm ?? _maxRrBpm, mean, 1000 * sd,
            _diffs > 0 ? 1000 * Math.Sqrt(_diffSumSq / _diffs) : 0, sd / mean);
    }

    /// <summary>The stream ended: open episodes close, then the summary and the signal-quality findings.</summary>
    public void Complete(long first, long end)
    {
        _irregularity.Complete();
        var analysedSeconds = _analysedSamples / _fs;
        var summary = Summary();
        if (summary is null)
        {
            _emit(RhythmFinding.Rhythm(
                FindingKind.InsufficientSignal, FindingSeverity.Low,
                $"Not enough clean ECG to analyse the rhythm: {RhythmFinding.F1(analysedSeconds)} s of {RhythmFinding.F1((end - first) / _fs)} s usable.",
                end > first ? TimeWindow.FromSamples(first, end, _fs) : null,
                new FindingValues().Add("analysedSeconds", analysedSeconds).Add("recordSeconds", (end - first) / _fs).Build()));
        }
        else
        {
            _emit(RhythmFinding.Rhythm(
                FindingKind.HeartRateSummary, FindingSeverity.Info,
                $"Mean heart rate {RhythmFinding.F0(summary.MeanHeartRateBpm)} bpm (10 s epochs {RhythmFinding.F0(summary.MinHeartRateBpm)}-"
                + $"{RhythmFinding.F0(summary.MaxHeartRateBpm)} bpm) from {summary.BeatCount} beats in {RhythmFinding.F1(analysedSeconds)} s of clean ECG; "
                + $"SDNN {RhythmFinding.F0(summary.SdnnMilliseconds)} ms, RMSSD {RhythmFinding.F0(summary.RmssdMilliseconds)} ms; "
                + $"{_ventricular} ventricular beat(s).",
                _firstAnalysed >= 0 ? TimeWindow.FromSamples(_firstAnalysed, _lastAnalysed, _fs) : null,
                new FindingValues()
                    .Add("meanHeartRateBpm", summary.MeanHeartRateBpm).Add("minHeartRateBpm", summary.MinHeartRateBpm)
                    .Add("maxHeartRateBpm", summary.MaxHeartRateBpm).Add("beatCount", summary.BeatCount)
                    .Add("sdnnMs", summary.SdnnMilliseconds).Add("rmssdMs", summary.RmssdMilliseconds)
                    .Add("coefficientOfVariation", summary.CoefficientOfVariation).Add("analysedSeconds", analysedSeconds)
                    .Add("ventricularBeats", _ventricular).Build()));
        }

        _leadOff.Report(_emit, _fs, leadOff: true);
        _poor.Report(_emit, _fs, leadOff: false);
    }

    private void Rr(RrInterval rr, bool normalToNormal)
    {
        _rrCount++;
        _rrSum += rr.Seconds;
        _rrSumSq += rr.Seconds * rr.Seconds;
        _minRrBpm = Math.Min(_minRrBpm, rr.HeartRateBpm);
        _maxRrBpm = Math.Max(_maxRrBpm, rr.HeartRateBpm);
        if (_previousRr is { } before)
        {
            _diffSumSq += (rr.Seconds - before) * (rr.Seconds - before);
            _diffs++;
        }

        _previousRr = rr.Seconds;
        _rate.Rr(rr);
        if (normalToNormal)
        {
            _irregularity.Rr(rr); // AF screening looks at normal-to-normal intervals only: ectopic beats are not AF
        }
        if (rr.Seconds >= _o.PauseSeconds)
        {
            _emit(RhythmFinding.Rhythm(
                FindingKind.Pause, FindingSeverity.High,
                $"Pause: {RhythmFinding.F1(rr.Seconds)} s without a detected beat (≥ {RhythmFinding.F1(_o.PauseSeconds)} s) in readable ECG.",
                TimeWindow.FromSamples(rr.StartSample, rr.EndSample, _fs),
                new FindingValues().Add("pauseSeconds", rr.Seconds).Build()));
        }
    }

    private void CloseRun()
    {
        if (VentricularInRow >= MinRunBeats)
        {
            var window = TimeWindow.FromSamples(_runStart, _runEnd, _fs);
            var bpm = 60.0 * (VentricularInRow - 1) / Math.Max(window.DurationSeconds, 1e-9);
            var sustained = window.DurationSeconds >= 30;
            var tachycardia = bpm > 100;
            var name = sustained && tachycardia ? "Sustained ventricular tachycardia" : tachycardia ? "Non-sustained ventricular tachycardia" : "Ventricular run (idioventricular rhythm)";
            _emit(RhythmFinding.Rhythm(
                FindingKind.VentricularRun,
                sustained && tachycardia ? FindingSeverity.Critical : tachycardia ? FindingSeverity.High : FindingSeverity.Moderate,
                $"{name}: {VentricularInRow} consecutive ventricular beats at {RhythmFinding.F0(bpm)} bpm over {RhythmFinding.F1(window.DurationSeconds)} s "
                + "(≥ 3 beats; > 100 bpm is ventricular tachycardia, sustained when ≥ 30 s).",
                window,
                new FindingValues().Add("beats", VentricularInRow).Add("rateBpm", bpm).Add("durationSeconds", window.DurationSeconds).Build()));
        }

        VentricularInRow = 0;
    }
}
