namespace HealthBlock.Analysis;

/// <summary>
/// Looks for a beat that an artefact hid: the position near a doubtful candidate where the wide signal matches the
/// dominant beat template best (a matched filter run over a short stretch). A large artefact within the candidate
/// picker's ±200 ms dominance radius suppresses the true complex next to it; shape, not size, finds it again.
/// </summary>
internal sealed class HiddenBeatSearch
{
    private readonly SampleRing _wide;
    private readonly SampleRing _feature;
    private readonly SampleRing _slope;
    private readonly int _half;
    private readonly int _wideLag;
    private readonly int _featureLag;
    private readonly int _integration;

    public HiddenBeatSearch(SampleRing wide, SampleRing feature, SampleRing slope, int morphologyHalf, int wideLag, int featureLag, int integration)
    {
        _wide = wide;
        _feature = feature;
        _slope = slope;
        _half = morphologyHalf;
        _wideLag = wideLag;
        _featureLag = featureLag;
        _integration = integration;
    }

    /// <summary>The best match of <paramref name="template"/> (compared over <c>[edge, length − edge)</c>) with an R peak in
    /// <c>[fromR, toR]</c> where the integrated slope centred on it is at least <paramref name="minFeature"/>, using only
    /// samples in <c>[segmentStart, now]</c> still held by the rings; null when none fits.</summary>
    public QrsCandidate? Find(double[] template, int edge, long fromR, long toR, double minFeature, long segmentStart, long now, double background, out double correlation)
    {
        correlation = 0;
        var oldest = now - Math.Min(_wide.Capacity, _feature.Capacity) + 1;
        var first = Math.Max(fromR + _wideLag, Math.Max(segmentStart, oldest) + _half);
        var last = Math.Min(toR + _wideLag, now - _half);
        if (last < first)
        {
            return null;
        }

        var n = template.Length - 2 * edge;
        double ta = 0, taa = 0;
        for (var m = edge; m < template.Length - edge; m++)
        {
            ta += template[m];
            taa += template[m] * template[m];
        }

        var tv = taa - ta * ta / n;
        if (tv <= 0)
        {
            return null;
        }

        var best = -1.0;
        var bestK = -1L;
        for (var k = first; k <= last; k++)
        {
            if (_feature[Math.Min(now, k - _wideLag + _featureLag)] < minFeature)
            {
                continue; // no QRS-like slope there (a T wave, a slow artefact)
            }

            double sb = 0, sbb = 0, sab = 0;
            var origin = k - _half;
            for (var m = edge; m < template.Length - edge; m++)
            {
                var b = _wide[origin + m];
                sb += b;
                sbb += b * b;
                sab += template[m] * b;
            }

            var vb = sbb - sb * sb / n;
            var r = vb > 0 ? (sab - ta * sb / n) / Math.Sqrt(tv * vb) : 0;
            if (r > best)
            {
                best = r;
                bestK = k;
            }
        }

        if (bestK < 0)
        {
            return null;
        }

        correlation = best;
        var morphology = new double[template.Length];
        for (var m = 0; m < morphology.Length; m++)
        {
            morphology[m] = _wide[bestK - _half + m];
        }

        var rPeak = bestK - _wideLag;
        // The integrated slope centred on the complex (not the largest nearby, which may be the artefact's).
        var index = Math.Min(now, rPeak + _featureLag);
        var amplitude = _feature[index];
        var slope = 0.0;
        for (var i = Math.Max(segmentStart, index - _integration + 1); i <= index; i++)
        {
            slope = Math.Max(slope, _slope[i]);
        }

        return new QrsCandidate(index, amplitude, slope, rPeak, morphology, background);
    }
}
