namespace HealthBlock.Analysis;

/// <summary>
/// The adaptive-threshold state machine of the Pan-Tompkins detector, run over the time-ordered
/// candidate list: signal/noise peak levels, T-wave rejection and search-back.
/// </summary>
internal sealed class QrsDecisionLogic
{
    private const int RrHistory = 8;

    /// <summary>Beats in a row found only by search-back that make the levels be re-learnt.</summary>
    private const int SearchBackRunForRelearn = 3;

    private readonly QrsDetectorOptions _options;
    private readonly double _fs;
    private readonly int _refractory;
    private readonly int _tWindow;
    private readonly List<int> _rr = new(RrHistory);
    private readonly List<int> _accepted = [];

    private double _spk;
    private double _npk;
    private int _lastIndex = -1;
    private int _lastSample = -1;
    private double _lastSlope;
    private int _relearnedAfter = -1;
    private int _searchBackRun;

    public QrsDecisionLogic(QrsDetectorOptions options, double fs, int refractory)
    {
        _options = options;
        _fs = fs;
        _refractory = refractory;
        _tWindow = (int)Math.Round(options.TWaveWindowSeconds * fs);
    }

    private double Threshold1 => _npk + 0.25 * (_spk - _npk);

    private double Threshold2 => 0.5 * Threshold1;

    /// <summary>Returns the indices (into <paramref name="candidates"/>) of the accepted beats, ascending.</summary>
    public List<int> Run(List<QrsCandidate> candidates, double[] mwi, int length)
    {
        Seed(candidates, mwi, 0);
        for (var c = 0; c < candidates.Count; c++)
        {
            var cand = candidates[c];
            while (_lastSample >= 0 && cand.Index - _lastSample > MissedLimit() && SearchBack(candidates, c))
            {
            }

            if (_lastSample >= 0 && _relearnedAfter != _lastSample
                && (cand.Index - _lastSample > RelearnLimit() || _searchBackRun >= SearchBackRunForRelearn))
            {
                Relearn(candidates, mwi);
                while (cand.Index - _lastSample > MissedLimit() && SearchBack(candidates, c))
                {
                }
            }

            if (cand.Amplitude > Threshold1 && !IsTWave(cand))
            {
                Accept(candidates, c, searchBack: false);
            }
            else
            {
                _npk = 0.125 * cand.Amplitude + 0.875 * _npk;
            }
        }

        while (_lastSample >= 0 && length - _lastSample > MissedLimit() && SearchBack(candidates, candidates.Count))
        {
        }

        if (_lastSample >= 0 && _relearnedAfter != _lastSample && length - _lastSample > RelearnLimit())
        {
            Relearn(candidates, mwi);
            while (length - _lastSample > MissedLimit() && SearchBack(candidates, candidates.Count))
            {
            }
        }

        return _accepted;
    }

    /// <summary>Seeds the levels from a learning period starting at <paramref name="from"/>:
    /// SPKI = median of 2 s block maxima of the MWI, NPKI = median of the small candidates.</summary>
    private void Seed(List<QrsCandidate> candidates, double[] mwi, int from)
    {
        var (spk, npk) = Levels(candidates, mwi, from);
        _spk = spk;
        _npk = npk;
    }

    /// <summary>Re-seeds the levels after a long gap if the new signal level is plausible (≥ 1/16 of the old).</summary>
    private void Relearn(List<QrsCandidate> candidates, double[] mwi)
    {
        _relearnedAfter = _lastSample;
        _searchBackRun = 0;
        var (spk, npk) = Levels(candidates, mwi, _lastSample + _refractory);
        if (spk < _spk && spk >= _spk / 16)
        {
            _spk = spk;
            _npk = Math.Min(_npk, npk);
        }
    }

    private (double Spk, double Npk) Levels(List<QrsCandidate> candidates, double[] mwi, int from)
    {
        var block = Math.Max(1, (int)(2.0 * _fs));
        from = Math.Clamp(from, 0, mwi.Length);
        var learn = Math.Min(mwi.Length, from + Math.Max(block, (int)(_options.LearningSeconds * _fs)));
        var maxima = new List<double>();
        for (var start = from; start + block / 2 <= learn; start += block)
        {
            var end = Math.Min(learn, start + block);
            var m = 0.0;
            for (var i = start; i < end; i++)
            {
                m = Math.Max(m, mwi[i]);
            }

            maxima.Add(m);
        }

        var spk = maxima.Count > 0 ? Median(maxima) : candidates.Max(c => c.Amplitude);
        var noise = candidates
            .Where(c => c.Index >= from && c.Index < learn && c.Amplitude < 0.25 * spk)
            .Select(c => c.Amplitude)
            .ToList();
        return (spk, noise.Count > 0 ? Median(noise) : 0.0);
    }

    private double RelearnLimit()
    {
        var limit = _options.RelearnAfterSeconds * _fs;
        return _rr.Count == 0 ? limit : Math.Max(limit, 3.0 * MedianRr());
    }

    private double MissedLimit()
    {
        if (_rr.Count == 0)
        {
            return _options.SearchBackFactor * _fs; // 1 s assumed until an RR interval is known
        }

        return _options.SearchBackFactor * MedianRr();
    }

    private double MedianRr()
    {
        var sorted = _rr.ToArray();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    private bool IsTWave(QrsCandidate cand) =>
        _lastSample >= 0
        && cand.Index - _lastSample < _tWindow
        && cand.Slope < _options.TWaveSlopeRatio * _lastSlope;

    /// <summary>Looks for the largest skipped candidate above threshold 2 since the last beat.</summary>
    private bool SearchBack(List<QrsCandidate> candidates, int before)
    {
        var best = -1;
        var threshold = Threshold2;
        for (var k = before - 1; k > _lastIndex && k >= 0; k--)
        {
            var cand = candidates[k];
            if (cand.Index - _lastSample < _refractory || cand.Amplitude <= threshold || IsTWave(cand))
            {
                continue;
            }

            if (best < 0 || cand.Amplitude > candidates[best].Amplitude)
            {
                best = k;
            }
        }

        if (best < 0)
        {
            return false;
        }

        Accept(candidates, best, searchBack: true);
        return true;
    }

    private void Accept(List<QrsCandidate> candidates, int index, bool searchBack)
    {
        var cand = candidates[index];
        var weight = searchBack ? 0.25 : 0.125;
        _spk = weight * cand.Amplitude + (1 - weight) * _spk;
        if (_lastSample >= 0)
        {
            if (_rr.Count == RrHistory)
            {
                _rr.RemoveAt(0);
            }

            _rr.Add(cand.Index - _lastSample);
        }

        _searchBackRun = searchBack ? _searchBackRun + 1 : 0;
        _accepted.Add(index);
        _lastIndex = index;
        _lastSample = cand.Index;
        _lastSlope = cand.Slope;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }
}
