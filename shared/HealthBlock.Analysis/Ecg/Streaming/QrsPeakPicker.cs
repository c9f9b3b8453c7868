namespace HealthBlock.Analysis;

/// <summary>
/// Finds QRS candidates in the integrated feature as it streams in: local maxima that dominate every other local
/// maximum within ± the refractory period (strictly larger than those before, at least as large as those after).
/// A maximum is confirmed one refractory period after it, so candidates come out in time order with a fixed delay.
/// </summary>
internal sealed class QrsPeakPicker
{
    private readonly int _refractory;
    private readonly List<(long Index, double Value, bool Dominant)> _maxima = [];
    private double _previous;
    private double _beforePrevious;
    private int _seen;
    private long _through = long.MinValue;

    public QrsPeakPicker(int radius)
    {
        _refractory = radius;
    }

    /// <summary>Dominance radius and confirmation delay, samples.</summary>
    public int Radius => _refractory;

    /// <summary>Forgets everything (after a gap).</summary>
    public void Reset()
    {
        _maxima.Clear();
        _through = long.MinValue;
        _seen = 0;
        _previous = _beforePrevious = 0;
    }

    /// <summary>Takes the feature value of sample <paramref name="index"/>; returns the maxima confirmed now
    /// (at most one, since confirmed maxima are at least a refractory period apart) through <paramref name="confirmed"/>.</summary>
    public bool Step(long index, double value, out (long Index, double Value) confirmed)
    {
        if (_seen >= 2 && _previous > _beforePrevious && _previous >= value && _previous > 0)
        {
            Add(index - 1, _previous);
        }

        _seen = Math.Min(_seen + 1, 2);
        _beforePrevious = _previous;
        _previous = value;
        return Confirm(index - _refractory, out confirmed);
    }

    /// <summary>Confirms whatever is still pending at the end of the signal (or before a gap).</summary>
    public List<(long Index, double Value)> Flush()
    {
        var result = new List<(long Index, double Value)>();
        foreach (var m in _maxima)
        {
            if (m.Dominant && m.Index > _through)
            {
                result.Add((m.Index, m.Value));
            }
        }

        Reset();
        return result;
    }

    private void Add(long index, double value)
    {
        var dominant = true;
        for (var k = _maxima.Count - 1; k >= 0 && index - _maxima[k].Index <= _refractory; k--)
        {
            var m = _maxima[k];
            if (m.Value >= value)
            {
                dominant = false;
            }

            if (value > m.Value && m.Dominant)
            {
                _maxima[k] = m with { Dominant = false };
            }
        }

        _maxima.Add((index, value, dominant));
    }

    private bool Confirm(long through, out (long Index, double Value) confirmed)
    {
        confirmed = default;
        _through = through;
        var found = false;
        var drop = 0;
        for (var k = 0; k < _maxima.Count && _maxima[k].Index <= through; k++)
        {
            var m = _maxima[k];
            if (m.Index == through && m.Dominant)
            {
                confirmed = (m.Index, m.Value);
                found = true;
            }
        }

        // Keep one refractory period of confirmed maxima: later maxima are compared with them.
        while (drop < _maxima.Count && _maxima[drop].Index < through - _refractory)
        {
            drop++;
        }

        if (drop > 0)
        {
            _maxima.RemoveRange(0, drop);
        }

        return found;
    }
}
