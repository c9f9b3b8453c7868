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
/// shape becomes the dominant one). A beat whose three predecessors all had its shape (correlation ≥ 0.95 with one
/// template) and came on time belongs to a sustained rhythm of that shape: N (Q in noise) unless it is both premature
/// and followed by a pause, or earlier than 70 % of the normal interval — the width rule alone would call the beats of
/// a new bundle-branch block that come a little early or late ventricular.
/// </remarks>
internal sealed class BeatClassifier
{
    private const int History = 16;

    private readonly double _fs;
    private readonly List<double> _normalWidths = [];
    private readonly List<double> _normalIntervals = [];
    private readonly List<double> _intervals = [];
    private readonly List<(int Template, bool OnTime)> _recent = [];

    /// <summary>This many beats before, all of one shape and none premature, make a sustained rhythm of that shape.</summary>
    internal const int SustainedBeats = 3;

    /// <summary>A beat at least this like its template has the template's shape.</summary>
    internal const double SameShapeCorrelation = 0.95;

    /// <summary>Earlier than this fraction of the normal interval, a beat is premature even within a sustained rhythm.</summary>
    internal const double StronglyPremature = 0.7;

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

        var sameShape = beat.Template >= 0 && beat.Correlation >= SameShapeCorrelation;
        var sustained = sameShape && _recent.Count == SustainedBeats && _recent.TrueForAll(r => r.Template == beat.Template && r.OnTime)
            && !(premature && pause) && !(interval is { } i3 && rrBefore is { } b3 && b3 < StronglyPremature * i3);
        var onTime = sameShape && interval is { } i4 && rrBefore is { } b4 && b4 >= 0.85 * i4;
        Add(_recent, (beat.Template, onTime), SustainedBeats);

        AnnotationCode label;
        if (sustained)
        {
            // A conducted rhythm of a new shape (a conduction change) that goes on at the normal pace: its beats
            // are not ventricular ectopy because one arrives a little early or late (a beat both premature and
            // followed by a pause still is, whatever its shape).
            label = looksNormal || !beat.Noisy ? AnnotationCode.Normal : AnnotationCode.Unknown;
        }
        else if ((wide && (premature || pause) && beat.DominantCorrelation < 0.95) || (premature && pause && beat.DominantCorrelation < 0.5))
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

    private static void Add<T>(List<T> history, T value, int capacity = History)
    {
        if (history.Count == capacity)
        {
            history.RemoveAt(0);
        }

        history.Add(value);
    }

    private static double? Median(List<double> values) => values.Count == 0 ? null : QrsLevels.Median(values);
}
