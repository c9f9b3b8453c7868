using System.Globalization;
using HealthBlock.TestSupport;

namespace HealthBlock.Analysis.Bench;

/// <summary>Lists every scoring error of the analyser (false beat, missed beat, wrong V label) on a subset of the
/// accuracy conditions, with the time and the distance to the nearest unreadable span: what to look at next.</summary>
internal static class AccuracyExplain
{
    public static void Print(TextWriter o, ISet<string>? only, ISet<double>? snrs)
    {
        foreach (var c in EcgStressSet.NoiseStress(only, snrs))
        {
            Explain(o, $"{c.Noise} {c.SnrDb:0} dB", c.Signal, c.Fs, c.Reference, c.NoisySegments.Windows);
        }

        foreach (var c in EcgStressSet.HardRhythms(names: only))
        {
            if (snrs is null || snrs.Contains(c.SnrDb ?? double.PositiveInfinity))
            {
                Explain(o, $"{c.Name} {(c.SnrDb is { } s ? $"{s:0} dB" : "clean")}", c.Signal, c.Fs, c.Reference, null);
            }
        }
    }

    private static void Explain(TextWriter o, string name, double[] signal, double fs, IReadOnlyList<WfdbAnnotation> reference, IReadOnlyList<EcgSpan>? windows)
    {
        var result = EcgAnalyzer.Analyze(signal, fs);
        var excluded = result.ExcludedSegments;
        var tol = (long)(Ec57Scorer.DefaultToleranceSeconds * fs);
        bool Scored(long s) => (windows is null || windows.Any(w => w.Contains(s))) && !excluded.Any(e => s >= e.StartSample && s < e.EndSample);
        string Gap(long s) => excluded.Count == 0 ? "-" : (excluded.Min(e => s < e.StartSample ? e.StartSample - s : s >= e.EndSample ? s - e.EndSample + 1 : 0) / fs).ToString("0.00", CultureInfo.InvariantCulture);
        var refs = reference.Where(a => a.IsBeat).ToList();
        var beats = result.Beats;
        o.WriteLine($"## {name}");
        foreach (var b in beats.Where(b => Scored(b.Sample)))
        {
            if (!refs.Any(r => Math.Abs(r.Sample - b.Sample) <= tol))
            {
                o.WriteLine(Invariant($"  FP {b.Sample / fs,9:0.000} s label {b.Label}  nearest unreadable {Gap(b.Sample)} s"));
            }
        }

        foreach (var r in refs.Where(r => Scored(r.Sample)))
        {
            var near = beats.Where(b => Math.Abs(r.Sample - b.Sample) <= tol).ToList();
            if (near.Count == 0)
            {
                o.WriteLine(Invariant($"  FN {r.Sample / fs,9:0.000} s ref {r.Code}  nearest unreadable {Gap(r.Sample)} s"));
            }
            else if (Ec57Scorer.IsVentricular(r.Code) != (near[0].Label == AnnotationCode.PrematureVentricular))
            {
                o.WriteLine(Invariant($"  label {r.Sample / fs,9:0.000} s ref {r.Code} got {near[0].Label}"));
            }
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
