namespace HealthBlock.Analysis;

/// <summary>
/// Judges a QRS candidate by its shape: its best match in the <see cref="BeatTemplateBank"/> (cached while neither the
/// candidate nor the bank changes) and the votes the decision logic builds on it: plausible as a beat, an established
/// beat shape, or a rough likeness exactly where a steady rhythm expects the next beat. It reads the RR history the
/// decision logic keeps and changes nothing but its cache, so its answers depend only on what it is asked.
/// </summary>
internal sealed class BeatShapeJudge(BeatTemplateBank bank, QrsDetectorOptions options, RrHistory rr)
{
    /// <summary>A template with at least this many members is an established beat shape.</summary>
    internal const int EstablishedMembers = 8;

    /// <summary>A candidate closer to the last beat than this fraction of the median RR interval is premature.</summary>
    internal const double PrematureFraction = 0.7;

    /// <summary>Correlation with an established template a premature candidate needs in noise.</summary>
    internal const double PrematureCorrelation = 0.9;

    /// <summary>RR intervals (but the extremes) within this fraction of their median make a steady rhythm.</summary>
    internal const double SteadySpread = 0.25;

    /// <summary>Within this fraction of the median RR of the due time is on time.</summary>
    internal const double OnTimeFraction = 0.1;

    /// <summary>Correlation with an established template an on-time search-back beat needs.</summary>
    internal const double OnTimeCorrelation = 0.6;

    /// <summary>Correlation with an established template a search-back beat needs.</summary>
    internal const double SearchBackCorrelation = 0.8;

    private ((QrsCandidate, int, int) Key, BeatMatch Match)? _matchCache;

    /// <summary>The bank's match for a candidate, cached while neither the candidate nor the bank changes.</summary>
    /// <param name="c">The candidate.</param>
    /// <param name="minMembers">Only templates with at least this many members count.</param>
    public BeatMatch Match(QrsCandidate c, int minMembers)
    {
        var key = (c, bank.Version, minMembers);
        if (_matchCache is { } cached && ReferenceEquals(cached.Key.Item1, c) && cached.Key.Item2 == key.Item2 && cached.Key.Item3 == minMembers)
        {
            return cached.Match;
        }

        var match = bank.Match(c.Morphology, minMembers);
        _matchCache = (key, match);
        return match;
    }

    /// <summary>A candidate is plausible as a QRS complex when no template is known yet, when it looks like a known
    /// beat shape, or when the context is clean (a new shape, e.g. a first ectopic beat, is then believed).</summary>
    /// <param name="c">The candidate.</param>
    /// <param name="noisy">Whether the context is noisy (then only an established beat shape counts).</param>
    /// <param name="last">Feature index of the last beat, or a negative value when there is none.</param>
    /// <param name="match">The match the verdict rests on.</param>
    public bool IsPlausible(QrsCandidate c, bool noisy, long last, out BeatMatch match)
    {
        match = Match(c, 1);
        if (bank.IsEmpty || !noisy)
        {
            return true;
        }

        // In noise only an established beat shape counts.
        match = Match(c, EstablishedMembers);
        var premature = last >= 0 && rr.Count > 0 && c.Index - last < PrematureFraction * rr.Median();
        return match.Correlation >= (premature ? PrematureCorrelation : options.MorphologyCorrelation);
    }

    /// <summary>A candidate found only by search-back is small: it must have an established beat shape, noisy context or
    /// not (otherwise noise during a real pause becomes beats).</summary>
    /// <param name="c">The candidate.</param>
    public bool LooksLikeABeat(QrsCandidate c) => bank.IsEmpty || Match(c, EstablishedMembers).Correlation >= SearchBackCorrelation;

    /// <summary>A second vote, the rhythm's: in a steady rhythm a candidate exactly where the next beat is due needs only a
    /// rough likeness to an established beat shape (artefact distorts the beats it rides on).</summary>
    /// <param name="c">The candidate.</param>
    /// <param name="last">Feature index of the last beat, or a negative value when there is none.</param>
    /// <param name="match">Its match with the established templates.</param>
    public bool OnTime(QrsCandidate c, long last, out BeatMatch match)
    {
        match = Match(c, EstablishedMembers);
        if (rr.Count < 4 || last < 0)
        {
            return false;
        }

        var median = rr.Median();
        return rr.Spread() <= SteadySpread * median && Math.Abs(c.Index - last - median) <= OnTimeFraction * median
            && match.Correlation >= OnTimeCorrelation;
    }
}
