namespace HealthBlock.Analysis;

/// <summary>
/// Decides when a doubtful candidate is an artefact that hid the true complex next to it (within ±350 ms), and where
/// that complex is: the dominant beat shape must match clearly better there than at the candidate (or well, where the
/// rhythm expects the next beat), with the size of a beat and the integrated slope of a QRS complex.
/// </summary>
internal sealed class HiddenBeatRule(BeatTemplateBank bank, IQrsDecisionSink search, double fs, int refractory)
{
    /// <summary>How far from a doubtful candidate a hidden beat is looked for, seconds.</summary>
    internal const double SearchSeconds = 0.35;

    /// <summary>A hidden beat's integrated slope, centred on it, is at least this fraction of the signal level (T waves
    /// and slow artefacts that happen to have a QRS-like outline are far below).</summary>
    internal const double SlopeRatio = 0.6;

    /// <summary>A beat within this of the time the rhythm expects is on time, seconds.</summary>
    internal const double OnTimeSeconds = 0.15;

    private readonly long _reach = (long)Math.Round(SearchSeconds * fs);
    private readonly long _tolerance = (long)Math.Round(OnTimeSeconds * fs);

    /// <summary>The hidden beat near <paramref name="c"/>, or null when the candidate is not doubtful or none is found.</summary>
    /// <param name="c">The candidate.</param>
    /// <param name="match">Its best template match.</param>
    /// <param name="lastR">R peak of the last beat, or <see cref="long.MinValue"/>.</param>
    /// <param name="medianRr">Median RR interval (samples), null when too few are known.</param>
    /// <param name="signalLevel">Signal peak level of the decision logic.</param>
    /// <param name="noisy">Whether the context is noisy.</param>
    public QrsCandidate? Find(QrsCandidate c, BeatMatch match, long lastR, double? medianRr, double signalLevel, bool noisy)
    {
        var dominant = bank.Dominant;
        if (bank.DominantMean is not { } template || bank.Members(dominant) < BeatShapeJudge.EstablishedMembers)
        {
            return null;
        }

        var r = bank.CorrelationWith(dominant, c.Morphology);
        var oddSize = c.Amplitude > 2 * signalLevel || c.Amplitude < 0.5 * signalLevel;
        var knownOther = !noisy && match.Template != dominant && match.Correlation >= 0.9
            && bank.Members(match.Template) >= BeatShapeJudge.EstablishedMembers;
        if ((r >= 0.9 && !oddSize) || knownOther)
        {
            return null; // a beat of the dominant shape and size, or of a learnt ectopic class in clean signal
        }

        var from = lastR == long.MinValue ? c.RPeak - _reach : Math.Max(c.RPeak - _reach, lastR + refractory);
        var found = search.FindHidden(template, bank.Edge, from, c.RPeak + _reach, SlopeRatio * signalLevel, c.Background, out var best);
        // A rough match is clearly better when the candidate is much worse; a candidate almost unlike the dominant
        // shape (r < 0.3) is a complex of its own (a ventricular run's first beat), not a distorted beat to move.
        var clearlyBetter = best >= 0.9
            ? best >= r + 0.1 || (oddSize && best >= r)
            : (best >= 0.8 && best >= r + 0.2) || (best >= 0.75 && best >= r + 0.3 && r >= 0.3);
        if (!clearlyBetter && lastR != long.MinValue && medianRr is { } rr)
        {
            // An artefact off the rhythm's time: the beat may be hidden where the rhythm expects it.
            var expected = lastR + (long)rr;
            if (Math.Abs(c.RPeak - expected) > _tolerance)
            {
                var onTime = search.FindHidden(
                    template, bank.Edge, Math.Max(from, expected - _tolerance), Math.Min(c.RPeak + _reach, expected + _tolerance), SlopeRatio * signalLevel, c.Background, out var near);
                if (onTime is not null && near >= 0.8 && near >= r + 0.05)
                {
                    (found, clearlyBetter) = (onTime, true);
                }
            }
        }

        return found is not null && clearlyBetter && Math.Abs(found.RPeak - c.RPeak) >= refractory / 2
            && SimilarSize(found.Morphology, template) && found.Amplitude >= SlopeRatio * signalLevel
            ? found
            : null;
    }

    /// <summary>The compared parts' ranges are within a factor of two.</summary>
    private bool SimilarSize(double[] morphology, double[] template)
    {
        var ratio = Range(morphology) / Math.Max(Range(template), double.Epsilon);
        return ratio >= 0.5 && ratio <= 2.0;
    }

    private double Range(double[] x)
    {
        double lo = double.MaxValue, hi = double.MinValue;
        for (var m = bank.Edge; m < x.Length - bank.Edge; m++)
        {
            lo = Math.Min(lo, x[m]);
            hi = Math.Max(hi, x[m]);
        }

        return hi - lo;
    }
}
