namespace HealthBlock.Analysis;

/// <summary>A peak of the integrated signal that may be a QRS complex.</summary>
/// <param name="Index">Sample index of the integrated-signal peak.</param>
/// <param name="Amplitude">Integrated-signal value at the peak.</param>
/// <param name="Slope">Largest absolute band-pass slope within the integration window around the peak.</param>
internal readonly record struct QrsCandidate(int Index, double Amplitude, double Slope);

/// <summary>Finds QRS candidates: local maxima of the integrated signal that dominate their ±refractory neighbourhood.</summary>
internal static class QrsCandidates
{
    public static List<QrsCandidate> Find(double[] mwi, double[] slope, int refractory, int halfWidth)
    {
        var n = mwi.Length;
        var maxima = new List<int>();
        for (var i = 1; i < n - 1; i++)
        {
            if (mwi[i] > mwi[i - 1] && mwi[i] >= mwi[i + 1] && mwi[i] > 0)
            {
                maxima.Add(i);
            }
        }

        var result = new List<QrsCandidate>();
        for (var m = 0; m < maxima.Count; m++)
        {
            var i = maxima[m];
            var v = mwi[i];
            var dominant = true;
            for (var l = m - 1; l >= 0 && i - maxima[l] <= refractory; l--)
            {
                if (mwi[maxima[l]] >= v)
                {
                    dominant = false;
                    break;
                }
            }

            for (var r = m + 1; dominant && r < maxima.Count && maxima[r] - i <= refractory; r++)
            {
                if (mwi[maxima[r]] > v)
                {
                    dominant = false;
                }
            }

            if (!dominant)
            {
                continue;
            }

            var s = 0.0;
            for (var k = Math.Max(0, i - halfWidth); k <= Math.Min(n - 1, i + halfWidth); k++)
            {
                s = Math.Max(s, Math.Abs(slope[k]));
            }

            result.Add(new QrsCandidate(i, v, s));
        }

        return result;
    }
}
