namespace HealthBlock.Analysis;

/// <summary>
/// The adaptive-threshold state machine of the QRS detector (after Pan and Tompkins, 1985), fed with candidates in
/// time order and with the advancing time: signal/noise peak levels, T-wave rejection, search-back and re-learning.
/// Everything it decides depends only on the candidates and the times it has been given, so the same signal gives the
/// same beats however it was split into frames. Shape votes come from <see cref="BeatShapeJudge"/>, the time a missed
/// beat or relearning is due from <see cref="MissedBeatClock"/>.
/// </summary>
internal sealed class QrsDecisionLogic
{
    private const int RrHistoryLength = 8;
    private const int MaxPending = 256;

    /// <summary>A candidate can become a beat (by search-back) for at most this long, seconds.</summary>
    private const double MaxOpenSeconds = 8.0;

    private readonly QrsDetectorOptions _options;
    private readonly double _fs;
    private readonly int _refractory;
    private readonly int _tWindow;
    private readonly long _learnLength;
    private readonly long _maxOpen;
    private readonly IQrsDecisionSink _sink;
    private readonly RrHistory _rr = new(RrHistoryLength);
    private readonly List<QrsCandidate> _pending = [];
    private readonly BeatTemplateBank _bank;
    private readonly ShapeRecurrence _recurrence;
    private readonly HiddenBeatRule _hidden;
    private readonly BeatShapeJudge _judge;
    private readonly MissedBeatClock _clock;

    private bool _learning;
    private long _learnStart;
    private double _spk;
    private double _npk;
    private long _last;
    private long _lastR;
    private double _lastSlope;
    private int _searchedCount;
    private (QrsCandidate Candidate, BeatMatch Match)? _tentative;

    public QrsDecisionLogic(QrsDetectorOptions options, double fs, int refractory, IQrsDecisionSink sink)
    {
        _options = options;
        _fs = fs;
        _refractory = refractory;
        _sink = sink;
        _tWindow = (int)Math.Round(options.TWaveWindowSeconds * fs);
        _learnLength = Math.Max(1, (long)Math.Round(options.LearningSeconds * fs));
        _bank = new BeatTemplateBank(fs);
        _recurrence = new ShapeRecurrence(_bank);
        _hidden = new HiddenBeatRule(_bank, sink, fs, refractory);
        _judge = new BeatShapeJudge(_bank, options, _rr);
        _clock = new MissedBeatClock(options, fs, _rr);
        _maxOpen = (long)Math.Round(MaxOpenSeconds * fs);
        Reset(0);
    }

    /// <summary>Signal peak level (running estimate of a QRS feature peak).</summary>
    public double SignalLevel => _spk;

    /// <summary>Noise peak level.</summary>
    public double NoiseLevel => _npk;

    /// <summary>Feature index of the earliest candidate that may still become a beat, or <see cref="long.MaxValue"/>
    /// (candidates are kept in time order).</summary>
    public long EarliestOpenIndex => _pending.Count > 0 ? _pending[0].Index : long.MaxValue;

    /// <summary>Items held (pending candidates, shadow candidates): bounded whatever the stream's length.</summary>
    public int Footprint => _pending.Count + _recurrence.Count;

    /// <summary>True while the levels are being learnt (no decisions yet).</summary>
    public bool Learning => _learning;

    private double Threshold1 => _npk + _options.ThresholdFraction * (_spk - _npk);

    private double Threshold2 => 0.5 * Threshold1;

    /// <summary>Starts afresh; the learning period begins at <paramref name="start"/> (feature time).</summary>
    public void Reset(long start)
    {
        _learning = true;
        _learnStart = start;
        _spk = _npk = 0;
        _last = -1;
        _lastR = long.MinValue;
        _lastSlope = 0;
        _clock.Reset();
        _searchedCount = -1;
        _tentative = null;
        _recurrence.Clear();
        _rr.Clear();
        _pending.Clear();
        _bank.Clear();
    }

    /// <summary>Takes the next candidate (in time order).</summary>
    public void OnCandidate(QrsCandidate candidate)
    {
        if (_learning)
        {
            _pending.Add(candidate);
            return;
        }

        CheckMissed(candidate.Index - 1);
        Decide(candidate);
    }

    /// <summary>Every candidate up to <paramref name="horizon"/> has been given: decide what time alone decides.</summary>
    public void Advance(long horizon)
    {
        if (_learning)
        {
            if (horizon >= _learnStart + _learnLength)
            {
                FinishLearning(horizon);
            }

            return;
        }

        CheckMissed(horizon);
        Prune(horizon);
    }

    /// <summary>The signal ends at <paramref name="end"/> (feature time): decide everything still open.</summary>
    public void Flush(long end)
    {
        if (_learning)
        {
            FinishLearning(end);
        }

        if (_tentative is { } t)
        {
            _tentative = null;
            Accept(t.Candidate, searchBack: false, t.Match);
        }

        if (!_learning)
        {
            CheckMissed(end);
        }
    }

    /// <summary>Forgets candidates older than <see cref="MaxOpenSeconds"/>, which bounds both memory and delay.</summary>
    private void Prune(long horizon)
    {
        if (_pending.Count > 0 && _pending[0].Index < horizon - _maxOpen)
        {
            _pending.RemoveAll(c => c.Index < horizon - _maxOpen);
            _searchedCount = -1;
        }
    }

    private void FinishLearning(long horizon)
    {
        var learnEnd = _learnStart + _learnLength;
        var (spk, npk) = QrsLevels.Learn(_pending.Where(c => c.Index < learnEnd).ToList(), _learnStart, learnEnd, _fs);
        if (spk <= 0)
        {
            // Nothing to learn from yet (flat signal): learn from the next period instead.
            _pending.Clear();
            _learnStart = horizon;
            return;
        }

        _learning = false;
        _spk = spk;
        _npk = npk;
        var replay = _pending.ToList();
        _pending.Clear();
        foreach (var c in replay)
        {
            OnCandidate(c);
        }

        CheckMissed(horizon);
    }

    /// <summary>In noise, a dominant-shaped rival must match better than the tentative candidate by this much.</summary>
    internal const double RivalMargin = 0.05;

    /// <summary>An integrated feature between peaks above this fraction of the signal level makes a noisy context.</summary>
    internal const double BackgroundRatio = 0.1;

    private void Decide(QrsCandidate c)
    {
        _pending.Add(c);
        if (_pending.Count > MaxPending)
        {
            _pending.RemoveAt(0);
            _searchedCount = -1;
        }

        if (_tentative is { } t)
        {
            _tentative = null;
            // A complex of the dominant shape right after a candidate of another shape shows the first to be an
            // artefact (no conducted beat can follow a real ectopic beat that closely); in noise, a clearly better
            // dominant-shaped match does as well. Two complexes of other shapes (a ventricular run) do not compete.
            var rival = c.Index - t.Candidate.Index <= _tWindow && c.Amplitude > Threshold2 && IsPlausible(c, out var rivalMatch)
                && rivalMatch.Template == _bank.Dominant
                && ((t.Match.Template != _bank.Dominant && rivalMatch.Correlation >= 0.9)
                    || (IsNoisy(t.Candidate) && rivalMatch.Correlation > t.Match.Correlation + RivalMargin));
            if (rival)
            {
                _sink.Artefact(t.Candidate); // a better-shaped complex right after it: the first was an artefact
            }
            else
            {
                Accept(t.Candidate, searchBack: false, t.Match);
            }
        }

        if (c.Amplitude > Threshold1 && !IsTWave(c) && (_last < 0 || c.Index - _last >= _refractory))
        {
            if (IsPlausible(c, out var match))
            {
                if (IsNoisy(c) || (!_bank.IsEmpty && match.Template != _bank.Dominant))
                {
                    _tentative = (c, match); // decided when the next candidate or the T-wave window has passed
                }
                else
                {
                    Accept(c, searchBack: false, match);
                }

                return;
            }

            if (_recurrence.Recurs(c, _rr.Count > 0 ? _rr.Median() : null))
            {
                Accept(c, searchBack: false, _judge.Match(c, 1));
                return;
            }

            _sink.Artefact(c);
            if (Hidden(c, _judge.Match(c, 1)) is { } found)
            {
                // An artefact rejected, but a beat hides next to it.
                Accept(found, searchBack: false, _judge.Match(found, 1), mayMove: false);
                return;
            }
        }

        _npk = 0.125 * c.Amplitude + 0.875 * _npk;
    }

    private void CheckMissed(long horizon)
    {
        if (_tentative is { } t)
        {
            if (horizon - t.Candidate.Index <= _tWindow)
            {
                return;
            }

            _tentative = null;
            Accept(t.Candidate, searchBack: false, t.Match);
        }

        while (_last >= 0 && horizon - _last > _clock.MissedLimit() && SearchBack())
        {
        }

        if (_clock.RelearnDue(horizon, _last))
        {
            Relearn();
            while (horizon - _last > _clock.MissedLimit() && SearchBack())
            {
            }
        }
    }

    /// <summary>Re-seeds the signal level from the largest candidate since the last beat when it is plausible
    /// (between a quarter of the old level and the old level), so a sudden fall in QRS amplitude is followed.</summary>
    private void Relearn()
    {
        _clock.Relearnt(_last);
        var since = _pending.Where(c => c.Index - _last >= _refractory && !IsTWave(c)).ToList();
        if (since.Count == 0)
        {
            return;
        }

        var spk = since.Max(c => c.Amplitude);
        if (spk < _spk && spk >= _options.RelearnFloor * _spk)
        {
            _spk = spk;
            var small = since.Where(c => c.Amplitude < 0.5 * spk).Select(c => c.Amplitude).ToList();
            _npk = Math.Min(_npk, small.Count > 0 ? QrsLevels.Median(small) : 0.0);
            _searchedCount = -1;
        }
    }

    private bool IsTWave(QrsCandidate c) =>
        _last >= 0
        && c.Index - _last < _tWindow
        && c.Slope < _options.TWaveSlopeRatio * _lastSlope;

    /// <summary>Accepts the largest candidate since the last beat that is above threshold 2 and not a T wave.</summary>
    private bool SearchBack()
    {
        if (_pending.Count == _searchedCount)
        {
            return false; // nothing new since the last unsuccessful search
        }

        QrsCandidate? best = null;
        var bestMatch = default(BeatMatch);
        var threshold = Threshold2;
        foreach (var c in _pending)
        {
            if (c.Index - _last < _refractory || c.Amplitude <= threshold || IsTWave(c))
            {
                continue;
            }

            if ((best is null || c.Amplitude > best.Amplitude) && ((IsPlausible(c, out var match) && _judge.LooksLikeABeat(c)) || _judge.OnTime(c, _last, out match)))
            {
                best = c;
                bestMatch = match;
            }
        }

        if (best is null)
        {
            _searchedCount = _pending.Count;
            return false;
        }

        Accept(best, searchBack: true, bestMatch);
        return true;
    }

    /// <summary>Noise peaks are a large fraction of QRS peaks, or the integrated feature is high between them: shapes
    /// matter more than sizes.</summary>
    private bool IsNoisy(QrsCandidate c) => _npk > _options.NoisyLevelRatio * _spk || c.Background > BackgroundRatio * _spk;

    /// <summary>See <see cref="BeatShapeJudge.IsPlausible"/>, in this context.</summary>
    private bool IsPlausible(QrsCandidate c, out BeatMatch match) => _judge.IsPlausible(c, IsNoisy(c), _last, out match);

    /// <summary>A beat hidden next to a doubtful candidate (see <see cref="HiddenBeatRule"/>), or null.</summary>
    private QrsCandidate? Hidden(QrsCandidate c, BeatMatch match) =>
        _hidden.Find(c, match, _lastR, _rr.Count >= 4 ? _rr.Median() : null, _spk, IsNoisy(c));

    private void Accept(QrsCandidate original, bool searchBack, BeatMatch originalMatch, bool mayMove = true)
    {
        var (c, match, moved) = (original, originalMatch, false);
        if (mayMove && Hidden(original, originalMatch) is { } found)
        {
            _sink.Artefact(original);
            (c, match, moved) = (found, _judge.Match(found, 1), true);
        }

        var noisy = IsNoisy(c);
        var dominant = match.Template >= 0 && match.Template == _bank.Dominant;
        var established = _bank.Members(match.Template) >= BeatShapeJudge.EstablishedMembers;
        _bank.Learn(c.Morphology, match, 0.85, allowNew: !noisy);
        var weight = moved || !mayMove ? 0 : searchBack ? 0.25 : 0.125;
        _spk = weight * c.Amplitude + (1 - weight) * _spk;
        if (_last >= 0)
        {
            _rr.Add(c.Index - _last);
        }

        _clock.OnBeat(searchBack);
        _last = c.Index;
        _lastR = c.RPeak;
        _lastSlope = c.Slope;
        var done = Math.Max(c.Index, original.Index);
        _pending.RemoveAll(p => p.Index <= done);
        _searchedCount = -1;
        _sink.Accept(c, match, dominant, _bank.CorrelationWith(_bank.Dominant, c.Morphology), established, noisy, searchBack);
    }
}
