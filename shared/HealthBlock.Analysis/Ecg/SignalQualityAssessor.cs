namespace HealthBlock.Analysis;

/// <summary>Marks every sample of an ECG with the quality issues of its window.</summary>
internal static class SignalQualityAssessor
{
    /// <summary>Per-sample issue flags.</summary>
    public static SignalIssue[] Assess(ReadOnlySpan<double> mv, double fs, ReadOnlySpan<bool> leadOff, EcgAnalysisOptions o)
    {
        var n = mv.Length;
        var issues = new SignalIssue[n];
        MarkLeadOff(mv, fs, leadOff, o, issues);

        var x = Filters.Sanitise(mv);
        var hf = fs >= 2.5 * o.NoiseCutoffHz ? Filters.HighPassZeroPhase(x, o.NoiseCutoffHz, fs) : null;
        var window = Math.Max(1, (int)Math.Round(o.QualityWindowSeconds * fs));
        for (var start = 0; start < n; start += window)
        {
            var end = Math.Min(n, start + window);
            if (n - end < window / 2)
            {
                end = n; // fold a short tail into the last window
            }

            var found = AssessWindow(x, hf, start, end, issues, fs, o);
            for (var i = start; i < end; i++)
            {
                issues[i] |= found;
            }

            if (end == n)
            {
                break;
            }
        }

        return issues;
    }

    private static void MarkLeadOff(ReadOnlySpan<double> mv, double fs, ReadOnlySpan<bool> leadOff, EcgAnalysisOptions o, SignalIssue[] issues)
    {
        var n = mv.Length;
        var pad = (int)Math.Round(o.LeadOffPaddingSeconds * fs);
        var i = 0;
        while (i < n)
        {
            var bad = !double.IsFinite(mv[i]) || (i < leadOff.Length && leadOff[i]);
            if (!bad)
            {
                i++;
                continue;
            }

            var j = i;
            while (j < n && (!double.IsFinite(mv[j]) || (j < leadOff.Length && leadOff[j])))
            {
                j++;
            }

            for (var k = Math.Max(0, i - pad); k < Math.Min(n, j + pad); k++)
            {
                issues[k] |= SignalIssue.LeadOff;
            }

            i = j;
        }
    }

    private static SignalIssue AssessWindow(double[] x, double[]? hf, int start, int end, SignalIssue[] issues, double fs, EcgAnalysisOptions o)
    {
        double max = double.MinValue, min = double.MaxValue;
        var count = 0;
        for (var i = start; i < end; i++)
        {
            if ((issues[i] & SignalIssue.LeadOff) != 0)
            {
                continue;
            }

            max = Math.Max(max, x[i]);
            min = Math.Min(min, x[i]);
            count++;
        }

        if (count < Math.Max(2, (end - start) / 4))
        {
            return SignalIssue.None; // mostly lead-off already
        }

        if (max - min < o.FlatlinePeakToPeakMv)
        {
            return SignalIssue.Flatline;
        }

        var found = SignalIssue.None;
        if (ClippedSamples(x, start, end, max, min, (int)Math.Ceiling(o.SaturationRunSeconds * fs)) >= o.SaturationTotalSeconds * fs)
        {
            found |= SignalIssue.Saturation;
        }

        if (hf is not null && RobustSigma(hf, start, end, issues) > o.NoiseSigmaMv)
        {
            found |= SignalIssue.HighFrequencyNoise;
        }

        return found;
    }

    private static int ClippedSamples(double[] x, int start, int end, double max, double min, int minRun)
    {
        var total = 0;
        var i = start;
        while (i < end)
        {
            var v = x[i];
            var j = i + 1;
            while (j < end && x[j] == v)
            {
                j++;
            }

            if ((v == max || v == min) && j - i >= Math.Max(2, minRun))
            {
                total += j - i;
            }

            i = j;
        }

        return total;
    }

    private static double RobustSigma(double[] hf, int start, int end, SignalIssue[] issues)
    {
        var values = new double[end - start];
        var count = 0;
        for (var i = start; i < end; i++)
        {
            if ((issues[i] & SignalIssue.LeadOff) == 0)
            {
                values[count++] = Math.Abs(hf[i]);
            }
        }

        if (count == 0)
        {
            return 0;
        }

        var span = values.AsSpan(0, count);
        span.Sort();
        return 1.4826 * span[count / 2];
    }
}
