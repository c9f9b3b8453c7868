namespace HealthBlock.Analysis;

/// <summary>
/// Scores QRS detections against reference annotations following the ANSI/AAMI EC57 beat-by-beat
/// convention: only beat annotations (WFDB <c>isqrs</c>) are reference beats; a detection matches a
/// reference beat when they are at most 150 ms apart; matching is one-to-one.
/// </summary>
/// <remarks>
/// <para>Scoring window: the <b>whole record</b> is scored, including the first five minutes that EC57
/// (and WFDB <c>bxb</c> with its default start time) treat as a learning period. This is deliberately
/// stricter: a detector that needs a long learning period is penalised here, and wearable recordings
/// are often short.</para>
/// <para>Matching: references and detections are sorted, then each reference (in time order) takes the
/// earliest unmatched detection within the tolerance. Because every reference window has the same
/// width, this greedy rule yields a maximum one-to-one matching.</para>
/// </remarks>
public static class Ec57Scorer
{
    /// <summary>The EC57 match window, seconds.</summary>
    public const double DefaultToleranceSeconds = 0.150;

    /// <summary>Scores detections against reference annotations (non-beat annotations are ignored).</summary>
    /// <param name="reference">Reference annotations, e.g. from <see cref="WfdbAnnotationReader.Read"/>.</param>
    /// <param name="detections">Detected R-peak sample indices.</param>
    /// <param name="samplingFrequency">Samples per second of both.</param>
    /// <param name="toleranceSeconds">Match window, default 0.150 s.</param>
    /// <returns>TP, FP, FN, Se and +P.</returns>
    public static Ec57Result Score(
        IEnumerable<WfdbAnnotation> reference,
        IEnumerable<int> detections,
        double samplingFrequency,
        double toleranceSeconds = DefaultToleranceSeconds)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return Score(WfdbAnnotationReader.BeatSamples(reference), detections.Select(d => (long)d), samplingFrequency, toleranceSeconds);
    }

    /// <summary>Scores detections against reference beat positions.</summary>
    /// <param name="referenceBeats">Reference beat sample indices (beats only).</param>
    /// <param name="detections">Detected R-peak sample indices.</param>
    /// <param name="samplingFrequency">Samples per second of both.</param>
    /// <param name="toleranceSeconds">Match window, default 0.150 s.</param>
    /// <returns>TP, FP, FN, Se and +P.</returns>
    public static Ec57Result Score(
        IEnumerable<long> referenceBeats,
        IEnumerable<long> detections,
        double samplingFrequency,
        double toleranceSeconds = DefaultToleranceSeconds)
    {
        ArgumentNullException.ThrowIfNull(referenceBeats);
        ArgumentNullException.ThrowIfNull(detections);
        if (!double.IsFinite(samplingFrequency) || samplingFrequency <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(samplingFrequency), "Sampling frequency must be positive.");
        }

        if (!double.IsFinite(toleranceSeconds) || toleranceSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(toleranceSeconds), "Tolerance must be non-negative.");
        }

        var refs = referenceBeats.Order().ToArray();
        var dets = detections.Order().ToArray();
        var tol = (long)Math.Floor(toleranceSeconds * samplingFrequency + 1e-9);
        var tp = 0;
        var d = 0;
        foreach (var r in refs)
        {
            while (d < dets.Length && dets[d] < r - tol)
            {
                d++;
            }

            if (d < dets.Length && dets[d] <= r + tol)
            {
                tp++;
                d++;
            }
        }

        return new Ec57Result(tp, dets.Length - tp, refs.Length - tp);
    }
}
