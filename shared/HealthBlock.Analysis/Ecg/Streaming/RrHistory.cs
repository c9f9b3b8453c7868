namespace HealthBlock.Analysis;

/// <summary>The last few RR intervals (samples) with their median, cached until the next change.</summary>
internal sealed class RrHistory(int capacity)
{
    private readonly List<long> _values = new(capacity);
    private double _median = -1;

    public int Count => _values.Count;

    /// <summary>Changes whenever the intervals do (values derived from them can be cached against it).</summary>
    public int Version { get; private set; }

    public void Add(long interval)
    {
        if (_values.Count == capacity)
        {
            _values.RemoveAt(0);
        }

        _values.Add(interval);
        _median = -1;
        Version++;
    }

    public void Clear()
    {
        _values.Clear();
        _median = -1;
        Version++;
    }

    /// <summary>Median (the upper one for an even count); only with <see cref="Count"/> &gt; 0.</summary>
    /// <summary>The range of the intervals held, leaving out the shortest and the longest (0 with fewer than four).</summary>
    public long Spread()
    {
        if (_values.Count < 4)
        {
            return 0;
        }

        Span<long> sorted = stackalloc long[_values.Count];
        for (var i = 0; i < _values.Count; i++)
        {
            sorted[i] = _values[i];
        }

        sorted.Sort();
        return sorted[^2] - sorted[1];
    }

    /// <summary>The second longest of the last <paramref name="count"/> intervals (the longest with one held, 0 when empty).</summary>
    public long RecentSecondLongest(int count)
    {
        long longest = 0, second = 0;
        for (var i = Math.Max(0, _values.Count - count); i < _values.Count; i++)
        {
            var v = _values[i];
            if (v > longest)
            {
                (longest, second) = (v, longest);
            }
            else if (v > second)
            {
                second = v;
            }
        }

        return _values.Count == 1 ? longest : second;
    }

    public double Median()
    {
        if (_median < 0)
        {
            Span<long> sorted = stackalloc long[_values.Count];
            for (var i = 0; i < _values.Count; i++)
            {
                sorted[i] = _values[i];
            }

            sorted.Sort();
            _median = sorted[sorted.Length / 2];
        }

        return _median;
    }
}
