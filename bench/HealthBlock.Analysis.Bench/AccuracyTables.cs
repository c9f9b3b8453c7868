using System.Globalization;
using HealthBlock.TestSupport;

namespace HealthBlock.Analysis.Bench;

/// <summary>Prints the noise stress table and the hard-rhythm table (markdown) for docs/benchmarks.md.</summary>
internal static class AccuracyTables
{
    /// <summary>Prints the tables; <paramref name="only"/> (noise or rhythm names) and <paramref name="snrs"/> restrict
    /// them to a subset while iterating (null: everything).</summary>
    public static void Print(TextWriter o, ISet<string>? only = null, ISet<double>? snrs = null)
    {
        o.WriteLine("### Noise stress test: MIT-BIH 100 (MLII, 360 Hz) + generated noise, nst protocol, scored on the noisy segments");
        o.WriteLine();
        o.WriteLine("| noise | SNR dB | HealthBlock Se | +P | unreadable (ref. beats) | strict Se | baseline Se | baseline +P |");
        o.WriteLine("|---|---|---|---|---|---|---|---|");
        var gross = new List<Ec57Report>();
        foreach (var c in EcgStressSet.NoiseStress(only, snrs))
        {
            var ours = EcgStressSet.ScoreAnalyzer(c.Signal, c.Fs, c.Reference, c.NoisySegments);
            var baseline = EcgStressSet.ScoreBaseline(c.Signal, c.Fs, c.Reference, c.NoisySegments);
            if (c.SnrDb >= 6)
            {
                gross.Add(ours);
            }

            o.WriteLine(Invariant(
                $"| {c.Noise} | {c.SnrDb:0} | {P(ours.Sensitivity)} | {P(ours.PositivePredictivity)} | {P(ours.UnreadableFraction)} | {P(ours.StrictSensitivity)} | {P(baseline.Sensitivity)} | {P(baseline.PositivePredictivity)} |"));
            o.Flush();
        }

        var g = Ec57Report.Gross(gross);
        o.WriteLine();
        o.WriteLine(Invariant($"Gross over {(only is null && snrs is null ? "every noise" : "the noises shown")} at 24-6 dB: Se {P(g.Sensitivity)}, +P {P(g.PositivePredictivity)}, unreadable {P(g.UnreadableFraction)}, strict Se {P(g.StrictSensitivity)}."));
        o.WriteLine();
        o.WriteLine("### Synthetic hard rhythms (250 Hz, 5 min each), whole record");
        o.WriteLine();
        o.WriteLine("| rhythm | noise | beats | HealthBlock Se | +P | unreadable | VEB Se | VEB +P | baseline Se | baseline +P |");
        o.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var c in EcgStressSet.HardRhythms(names: only))
        {
            if (snrs is not null && !snrs.Contains(c.SnrDb ?? double.PositiveInfinity))
            {
                continue;
            }

            var ours = EcgStressSet.ScoreAnalyzer(c.Signal, c.Fs, c.Reference);
            var baseline = EcgStressSet.ScoreBaseline(c.Signal, c.Fs, c.Reference);
            var hasV = c.Reference.Any(a => Ec57Scorer.IsVentricular(a.Code));
            o.WriteLine(Invariant(
                $"| {c.Name} | {(c.SnrDb is { } s ? $"{s:0} dB" : "clean")} | {ours.ReferenceBeats} | {P(ours.Sensitivity)} | {P(ours.PositivePredictivity)} | {P(ours.UnreadableFraction)} | {(hasV ? P(ours.VentricularSensitivity) : "-")} | {(hasV ? P(ours.VentricularPositivePredictivity) : "-")} | {P(baseline.Sensitivity)} | {P(baseline.PositivePredictivity)} |"));
            o.Flush();
        }
    }

    private static string P(double v) => (100 * v).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
