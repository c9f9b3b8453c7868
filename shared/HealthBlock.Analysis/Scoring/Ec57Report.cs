using System.Globalization;

namespace HealthBlock.Analysis;

/// <summary>
/// Beat-by-beat comparison of a test annotator with the reference (ANSI/AAMI EC57 style): QRS detection counts after
/// the exclusions, how much was excluded, and ventricular ectopic beat (VEB) detection counts.
/// </summary>
/// <param name="TruePositives">Reference beats matched by a test beat (outside excluded spans).</param>
/// <param name="FalsePositives">Test beats matching no reference beat (outside excluded spans).</param>
/// <param name="FalseNegatives">Reference beats matched by no test beat (outside excluded spans).</param>
/// <param name="ReferenceBeats">Reference beats in the scored range before exclusions (VF episodes already removed).</param>
/// <param name="UnreadableReferenceBeats">Reference beats inside spans the test annotator marked unreadable (not scored).</param>
/// <param name="UnreadableSeconds">Duration of the test annotator's unreadable spans inside the scored range, seconds.</param>
/// <param name="ScoredSeconds">Duration of the scored range (windows, minus VF episodes), seconds.</param>
/// <param name="VentricularTruePositives">Reference V beats labelled V by the test.</param>
/// <param name="VentricularFalseNegatives">Reference V beats labelled otherwise or missed.</param>
/// <param name="VentricularFalsePositives">Test V labels on reference non-V beats or on no beat.</param>
public sealed record Ec57Report(
    int TruePositives,
    int FalsePositives,
    int FalseNegatives,
    int ReferenceBeats,
    int UnreadableReferenceBeats,
    double UnreadableSeconds,
    double ScoredSeconds,
    int VentricularTruePositives,
    int VentricularFalseNegatives,
    int VentricularFalsePositives)
{
    /// <summary>QRS sensitivity over the readable part, TP / (TP + FN); 1 with no reference beats.</summary>
    public double Sensitivity => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>QRS positive predictivity over the readable part, TP / (TP + FP); 1 with no test beats.</summary>
    public double PositivePredictivity => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>Sensitivity counting every reference beat in an unreadable span as missed (as <c>bxb</c> counts beats
    /// missed during test shutdown).</summary>
    public double StrictSensitivity => Ratio(TruePositives, TruePositives + FalseNegatives + UnreadableReferenceBeats);

    /// <summary>Fraction of the reference beats that fell in unreadable spans and were not scored.</summary>
    public double UnreadableFraction => ReferenceBeats == 0 ? 0 : (double)UnreadableReferenceBeats / ReferenceBeats;

    /// <summary>VEB sensitivity; 1 when the reference has no V beats.</summary>
    public double VentricularSensitivity => Ratio(VentricularTruePositives, VentricularTruePositives + VentricularFalseNegatives);

    /// <summary>VEB positive predictivity; 1 when the test labels no beat V.</summary>
    public double VentricularPositivePredictivity => Ratio(VentricularTruePositives, VentricularTruePositives + VentricularFalsePositives);

    /// <summary>The QRS counts as an <see cref="Ec57Result"/>.</summary>
    public Ec57Result Qrs => new(TruePositives, FalsePositives, FalseNegatives);

    /// <summary>Sums the counts of several records (EC57 "gross" statistics).</summary>
    /// <param name="reports">Per-record reports.</param>
    /// <returns>The gross report.</returns>
    public static Ec57Report Gross(IEnumerable<Ec57Report> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var list = reports.ToList();
        return new Ec57Report(
            list.Sum(r => r.TruePositives), list.Sum(r => r.FalsePositives), list.Sum(r => r.FalseNegatives),
            list.Sum(r => r.ReferenceBeats), list.Sum(r => r.UnreadableReferenceBeats), list.Sum(r => r.UnreadableSeconds),
            list.Sum(r => r.ScoredSeconds), list.Sum(r => r.VentricularTruePositives), list.Sum(r => r.VentricularFalseNegatives),
            list.Sum(r => r.VentricularFalsePositives));
    }

    /// <summary>One line: <c>TP FP FN Se +P unreadable strict-Se VEB-Se VEB-+P</c>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"TP={TruePositives} FP={FalsePositives} FN={FalseNegatives} Se={Sensitivity:P2} +P={PositivePredictivity:P2} unreadable={UnreadableFraction:P2} strictSe={StrictSensitivity:P2} VEB Se={VentricularSensitivity:P2} +P={VentricularPositivePredictivity:P2}");

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 1.0 : (double)numerator / denominator;
}
