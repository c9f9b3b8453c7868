namespace HealthBlock.Analysis;

/// <summary>Beat-by-beat comparison of detected R peaks against reference beat annotations (ANSI/AAMI EC57 style).</summary>
/// <param name="TruePositives">Reference beats matched by a detection.</param>
/// <param name="FalsePositives">Detections matching no reference beat.</param>
/// <param name="FalseNegatives">Reference beats matched by no detection.</param>
public sealed record Ec57Result(int TruePositives, int FalsePositives, int FalseNegatives)
{
    /// <summary>Sensitivity Se = TP / (TP + FN); 1 when there are no reference beats.</summary>
    public double Sensitivity =>
        TruePositives + FalseNegatives == 0 ? 1.0 : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>Positive predictivity +P = TP / (TP + FP); 1 when there are no detections.</summary>
    public double PositivePredictivity =>
        TruePositives + FalsePositives == 0 ? 1.0 : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>Human-readable summary, e.g. <c>TP=2273 FP=0 FN=0 Se=100.00% +P=100.00%</c>.</summary>
    public override string ToString() =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"TP={TruePositives} FP={FalsePositives} FN={FalseNegatives} Se={Sensitivity:P2} +P={PositivePredictivity:P2}");
}
