namespace HealthBlock.Analysis;

/// <summary>The signal and noise peak levels a learning period gives the decision logic.</summary>
internal static class QrsLevels
{
    /// <summary>SPK = median of the largest candidate of each 2 s block of <c>[from, to)</c>; NPK = median of the
    /// candidates below a quarter of it (0 when there are none).</summary>
    public static (double Spk, double Npk) Learn(List<QrsCandidate> candidates, long from, long to, double fs)
    {
        if (candidates.Count == 0)
        {
            return (0, 0);
        }

        var block = Math.Max(1, (long)(2.0 * fs));
        var maxima = new List<double>();
        for (var start = from; start < to; start += block)
        {
            var inBlock = candidates.Where(c => c.Index >= start && c.Index < start + block).Select(c => c.Amplitude).ToList();
            if (inBlock.Count > 0)
            {
                maxima.Add(inBlock.Max());
            }
        }

        var spk = Median(maxima);
        var noise = candidates.Where(c => c.Amplitude < 0.25 * spk).Select(c => c.Amplitude).ToList();
        return (spk, noise.Count > 0 ? Median(noise) : 0.0);
    }

    public static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }
}
