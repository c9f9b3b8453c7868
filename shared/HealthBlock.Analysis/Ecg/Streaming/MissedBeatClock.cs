namespace HealthBlock.Analysis;

/// <summary>
/// The rhythm's clock for missed beats (after Pan and Tompkins, 1985): how long without a beat means one was missed and
/// a search-back is due, and when the signal level must be relearnt instead: after a long pause, or after a run of beats
/// found only by search-back (the level is then too high for the QRS complexes the signal now has). It reads the RR
/// history the decision logic keeps.
/// </summary>
internal sealed class MissedBeatClock(QrsDetectorOptions options, double fs, RrHistory rr)
{
    /// <summary>Beats in a row found only by search-back that call for relearning.</summary>
    internal const int SearchBackRunForRelearn = 3;

    private long _relearnedAfter = -1;
    private int _searchBackRun;
    private double _missedLimit;
    private int _missedLimitVersion = -1;

    /// <summary>Starts afresh: no relearning done, no search-back run.</summary>
    public void Reset()
    {
        _relearnedAfter = -1;
        _searchBackRun = 0;
    }

    /// <summary>A beat was accepted.</summary>
    /// <param name="searchBack">Whether search-back found it.</param>
    public void OnBeat(bool searchBack) => _searchBackRun = searchBack ? _searchBackRun + 1 : 0;

    /// <summary>How long without a beat means one was missed: <see cref="QrsDetectorOptions.SearchBackFactor"/> × the
    /// median RR interval, or × 0.75 of the second longest of the last four if that is longer (the long half of an
    /// alternating rhythm such as bigeminy is not a missed beat).</summary>
    public double MissedLimit()
    {
        if (_missedLimitVersion != rr.Version)
        {
            // Asked at every sample: computed once per change of the RR history.
            var interval = rr.Count == 0 ? fs : Math.Min(Math.Max(rr.Median(), 0.75 * rr.RecentSecondLongest(4)), 2.0 * fs);
            _missedLimit = options.SearchBackFactor * interval;
            _missedLimitVersion = rr.Version;
        }

        return _missedLimit;
    }

    /// <summary>True when the levels should be relearnt at <paramref name="horizon"/>: not yet done since the last beat,
    /// and either no beat for longer than the relearn limit or a run of search-back beats.</summary>
    /// <param name="horizon">The current feature time.</param>
    /// <param name="last">Feature index of the last beat, or a negative value when there is none.</param>
    public bool RelearnDue(long horizon, long last) =>
        last >= 0 && _relearnedAfter != last
        && (horizon - last > RelearnLimit() || _searchBackRun >= SearchBackRunForRelearn);

    /// <summary>The levels were relearnt after the beat at <paramref name="last"/>.</summary>
    /// <param name="last">Feature index of the last beat.</param>
    public void Relearnt(long last)
    {
        _relearnedAfter = last;
        _searchBackRun = 0;
    }

    private double RelearnLimit()
    {
        var limit = options.RelearnAfterSeconds * fs;
        return rr.Count == 0 ? limit : Math.Max(limit, Math.Min(3.0 * rr.Median(), 2 * limit));
    }
}
