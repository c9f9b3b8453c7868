namespace HealthBlock.Analysis;

/// <summary>Measures of a beat's wide-band morphology (see <see cref="QrsCandidate.Morphology"/>).</summary>
internal static class QrsShape
{
    /// <summary>QRS width, seconds: the extent around the R peak (±100 ms) where the wide signal departs from the local
    /// baseline (median of the window's first and last 30 ms) by more than a quarter of its largest departure.</summary>
    public static double Width(double[] morphology, double fs)
    {
        var centre = morphology.Length / 2;
        var edge = Math.Max(1, (int)Math.Round(0.03 * fs));
        var ends = morphology.Take(edge).Concat(morphology.Skip(morphology.Length - edge)).Order().ToArray();
        var baseline = ends[ends.Length / 2];
        var reach = Math.Min(centre, (int)Math.Round(0.1 * fs));
        var peak = 0.0;
        for (var k = centre - reach; k <= centre + reach; k++)
        {
            peak = Math.Max(peak, Math.Abs(morphology[k] - baseline));
        }

        int first = centre, last = centre;
        for (var k = centre - reach; k <= centre + reach; k++)
        {
            if (Math.Abs(morphology[k] - baseline) > 0.25 * peak)
            {
                first = Math.Min(first, k);
                last = Math.Max(last, k);
            }
        }

        return (last - first + 1) / fs;
    }
}
