namespace HealthBlock.Analysis;

/// <summary>
/// RR-irregularity measures of one window of consecutive RR intervals, used to screen for atrial
/// fibrillation (AF): AF gives "irregularly irregular" intervals, i.e. large beat-to-beat differences
/// in a random order.
/// </summary>
/// <remarks>
/// <para>Before measuring, the <c>round(N/16)</c> shortest and as many longest intervals are removed
/// (2 + 2 of 32), so that an isolated premature beat and its compensatory pause, common in sinus
/// rhythm, do not count as irregularity. On the remaining sequence (order kept):</para>
/// <list type="bullet">
/// <item><b>Normalised RMSSD</b> = RMSSD / mean RR. Irregular when ≥ 0.10 (the threshold used for
/// RMSSD/mean RR in RR-based AF detectors, e.g. Dash et al., Ann Biomed Eng 2009). Sinus rhythm,
/// including respiratory sinus arrhythmia, stays well below because it changes smoothly.</item>
/// <item><b>Turning points</b>: interior intervals that are a strict local maximum or minimum. For a
/// random sequence of n values the expected count is 2(n−2)/3 with variance (16n−29)/90. The window
/// counts as random-like when the count lies within ±2 standard deviations. This rejects regular
/// alternation (bigeminy: nearly every point turns) and trends (few turning points).</item>
/// </list>
/// <para>A window is <see cref="IsIrregular"/> when both hold. The thresholds are screening choices of
/// this library, documented here and in <see cref="EcgAnalysisOptions.IrregularityNormalizedRmssd"/>.</para>
/// </remarks>
/// <param name="Count">Intervals measured (after trimming).</param>
/// <param name="MeanRrSeconds">Mean RR after trimming, seconds.</param>
/// <param name="NormalizedRmssd">RMSSD / mean RR after trimming.</param>
/// <param name="CoefficientOfVariation">SD / mean RR after trimming.</param>
/// <param name="TurningPoints">Number of turning points after trimming.</param>
/// <param name="ExpectedTurningPoints">2(n−2)/3.</param>
/// <param name="TurningPointSigma">√((16n−29)/90).</param>
/// <param name="IsIrregular">True when the window screens positive for irregularly irregular rhythm.</param>
public sealed record RrIrregularity(
    int Count,
    double MeanRrSeconds,
    double NormalizedRmssd,
    double CoefficientOfVariation,
    int TurningPoints,
    double ExpectedTurningPoints,
    double TurningPointSigma,
    bool IsIrregular)
{
    /// <summary>Minimum number of RR intervals for a measurement.</summary>
    public const int MinIntervals = 16;

    /// <summary>Measures one window.</summary>
    /// <param name="rrSeconds">Consecutive RR intervals, seconds (at least <see cref="MinIntervals"/>).</param>
    /// <param name="normalizedRmssdThreshold">Irregularity threshold for RMSSD / mean RR (default 0.10).</param>
    /// <returns>The measures, or null when there are too few intervals.</returns>
    public static RrIrregularity? Measure(ReadOnlySpan<double> rrSeconds, double normalizedRmssdThreshold = 0.10)
    {
        if (rrSeconds.Length < MinIntervals)
        {
            return null;
        }

        var trim = (int)Math.Round(rrSeconds.Length / 16.0);
        var order = Enumerable.Range(0, rrSeconds.Length).ToArray();
        var copy = rrSeconds.ToArray();
        Array.Sort(copy, order);
        var drop = new HashSet<int>(order.Take(trim).Concat(order.Skip(order.Length - trim)));
        var kept = new List<double>(rrSeconds.Length);
        for (var i = 0; i < rrSeconds.Length; i++)
        {
            if (!drop.Contains(i))
            {
                kept.Add(rrSeconds[i]);
            }
        }

        var n = kept.Count;
        var mean = kept.Average();
        var sumSq = 0.0;
        var diffSq = 0.0;
        var turning = 0;
        for (var i = 0; i < n; i++)
        {
            sumSq += (kept[i] - mean) * (kept[i] - mean);
            if (i > 0)
            {
                diffSq += (kept[i] - kept[i - 1]) * (kept[i] - kept[i - 1]);
            }

            if (i > 0 && i < n - 1
                && ((kept[i] > kept[i - 1] && kept[i] > kept[i + 1]) || (kept[i] < kept[i - 1] && kept[i] < kept[i + 1])))
            {
                turning++;
            }
        }

        var nRmssd = Math.Sqrt(diffSq / (n - 1)) / mean;
        var cv = Math.Sqrt(sumSq / (n - 1)) / mean;
        var expected = 2.0 * (n - 2) / 3.0;
        var sigma = Math.Sqrt((16.0 * n - 29.0) / 90.0);
        var randomLike = Math.Abs(turning - expected) <= 2 * sigma;
        return new RrIrregularity(n, mean, nRmssd, cv, turning, expected, sigma, nRmssd >= normalizedRmssdThreshold && randomLike);
    }
}
