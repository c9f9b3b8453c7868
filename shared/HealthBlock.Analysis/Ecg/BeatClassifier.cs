namespace HealthBlock.Analysis;

/// <summary>
/// Labels beats normal (N), premature ventricular (V) or unclassifiable (Q) from three things a reader of the strip
/// looks at: shape (correlation with the dominant beat template), width (QRS duration against the dominant beats') and
/// timing (prematurity against the normal-to-normal interval, or the compensatory pause after it).
/// </summary>
/// <remarks>
/// V when the beat is wider than the dominant beats (by 30 % or 40 ms), not identical to them (correlation
/// &lt; 0.95) and either premature (RR before &lt; 85 % of the normal interval) or followed by a pause (RR after
/// &gt; 115 %); when it is both premature and followed by a pause with a different shape (correlation &lt; 0.5); or
/// when it is wide and of a clearly different shape (correlation &lt; 0.3). N when it looks like the
/// dominant beats (correlation ≥ 0.85). Q before any dominant shape is known, or for a beat in noise that meets neither
/// rule; N otherwise (so a conduction change, which is neither premature nor followed by a pause, stays N until its
/// shape becomes the dominant one).
/// </remarks>
internal sealed class BeatClassifier
{
    private const int History = 16;

    private readonly double _fs;
    private readonly List<double> _normalWidths = [];
    private readonly List<double> _normalIntervals = [];
    private readonly List<double> _intervals = [];

    public BeatClassifier(double fs)
    {
        _fs = fs;
    }

    /// <summary>Labels <paramref name="beat"/>; <paramref name="rrBefore"/> and <paramref name="rrAfter"/> are in seconds
    /// (null at the edges of a readable stretch); <paramref name="previousNormal"/> tells whether the beat before was N.</summary>
    public AnnotationCode Classify(QrsBeat beat, double? rrBefore, double? rrAfter, bool previousNormal)
    {
        if (beat.Template < 0 && beat.DominantCorrelation == 0)
        {
            return AnnotationCode.Unknown;
        }

        var width = QrsShape.Width(beat.Morphology, _fs);
        var normalWidth = Median(_normalWidths) ?? width;
        var interval = Median(_normalIntervals) ?? Median(_intervals);
        var looksNormal = beat.Dominant && beat.Correlation >= 0.85 || beat.DominantCorrelation >= 0.85;
        var wide = width >= 1.3 * normalWidth || width - normalWidth >= 0.04;
        var premature = interval is { } i1 && rrBefore is { } before && before < 0.85 * i1;
        var pause = interval is { } i2 && rrAfter is { } after && after > 1.15 * i2;

        AnnotationCode label;
        if ((wide && (premature || pause) && beat.DominantCorrelation < 0.95) || (premature && pause && beat.DominantCorrelation < 0.5))
        {
            label = AnnotationCode.PrematureVentricular;
        }
        else if (looksNormal)
        {
            label = AnnotationCode.Normal;
        }
        else if (wide && beat.DominantCorrelation < 0.3)
        {
            label = AnnotationCode.PrematureVentricular;
        }
        else
        {
            label = beat.Noisy ? AnnotationCode.Unknown : AnnotationCode.Normal;
        }

        if (rrBefore is { } rr)
        {
            Add(_intervals, rr);
            if (label == AnnotationCode.Normal && previousNormal)
            {
                Add(_normalIntervals, rr);
            }
        }

        if (label == AnnotationCode.Normal && looksNormal)
        {
            Add(_normalWidths, width);
        }

        return label;
    }

    private static void Add(List<double> history, double value)
    {
        if (history.Count == History)
        {
            history.RemoveAt(0);
        }

        history.Add(value);
    }

    private static double? Median(List<double> values) => values.Count == 0 ? null : QrsLevels.Median(values);
}
