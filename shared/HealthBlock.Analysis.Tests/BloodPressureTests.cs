using HealthBlock.Analysis;

namespace HealthBlock.Analysis.Tests;

public class BloodPressureTests
{
    [Theory]
    // Normal: < 120 and < 80
    [InlineData(0, 0, BloodPressureCategory.Normal)]
    [InlineData(119, 79, BloodPressureCategory.Normal)]
    [InlineData(90, 60, BloodPressureCategory.Normal)]
    // Elevated: 120-129 and < 80
    [InlineData(120, 79, BloodPressureCategory.Elevated)]
    [InlineData(129, 79, BloodPressureCategory.Elevated)]
    [InlineData(120, 0, BloodPressureCategory.Elevated)]
    // Stage 1: 130-139 or 80-89
    [InlineData(130, 79, BloodPressureCategory.Stage1Hypertension)]
    [InlineData(139, 79, BloodPressureCategory.Stage1Hypertension)]
    [InlineData(119, 80, BloodPressureCategory.Stage1Hypertension)]
    [InlineData(119, 89, BloodPressureCategory.Stage1Hypertension)]
    [InlineData(125, 85, BloodPressureCategory.Stage1Hypertension)]
    [InlineData(139, 89, BloodPressureCategory.Stage1Hypertension)]
    // Stage 2: >= 140 or >= 90
    [InlineData(140, 79, BloodPressureCategory.Stage2Hypertension)]
    [InlineData(119, 90, BloodPressureCategory.Stage2Hypertension)]
    [InlineData(180, 120, BloodPressureCategory.Stage2Hypertension)]
    [InlineData(180, 70, BloodPressureCategory.Stage2Hypertension)]
    [InlineData(110, 120, BloodPressureCategory.Stage2Hypertension)]
    [InlineData(135, 95, BloodPressureCategory.Stage2Hypertension)]
    // Crisis: > 180 and/or > 120
    [InlineData(181, 79, BloodPressureCategory.HypertensiveCrisis)]
    [InlineData(119, 121, BloodPressureCategory.HypertensiveCrisis)]
    [InlineData(181, 121, BloodPressureCategory.HypertensiveCrisis)]
    [InlineData(500, 500, BloodPressureCategory.HypertensiveCrisis)]
    public void Boundaries_follow_ACC_AHA_2017_with_the_higher_category_winning(int sys, int dia, BloodPressureCategory expected)
    {
        Assert.Equal(expected, BloodPressureClassifier.Classify(sys, dia));
    }

    [Fact]
    public void Every_reading_from_0_to_260_over_0_to_160_matches_the_guideline_table()
    {
        for (var sys = 0; sys <= 260; sys++)
        {
            for (var dia = 0; dia <= 160; dia++)
            {
                Assert.Equal(Reference(sys, dia), BloodPressureClassifier.Classify(sys, dia));
            }
        }
    }

    [Theory]
    [InlineData(-1, 80)]
    [InlineData(120, -1)]
    [InlineData(501, 80)]
    [InlineData(120, 501)]
    public void Impossible_values_are_rejected_by_Classify(int sys, int dia)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BloodPressureClassifier.Classify(sys, dia));
    }

    [Theory]
    [InlineData(118, 76, FindingKind.BloodPressureNormal, FindingSeverity.Info)]
    [InlineData(124, 76, FindingKind.BloodPressureElevated, FindingSeverity.Low)]
    [InlineData(132, 76, FindingKind.HypertensionStage1, FindingSeverity.Moderate)]
    [InlineData(150, 95, FindingKind.HypertensionStage2, FindingSeverity.High)]
    [InlineData(190, 100, FindingKind.HypertensiveCrisis, FindingSeverity.Critical)]
    [InlineData(80, 90, FindingKind.ImplausibleReading, FindingSeverity.Low)]
    [InlineData(120, 120, FindingKind.ImplausibleReading, FindingSeverity.Low)]
    [InlineData(49, 30, FindingKind.ImplausibleReading, FindingSeverity.Low)]
    [InlineData(301, 100, FindingKind.ImplausibleReading, FindingSeverity.Low)]
    [InlineData(140, 19, FindingKind.ImplausibleReading, FindingSeverity.Low)]
    [InlineData(-5, -10, FindingKind.ImplausibleReading, FindingSeverity.Low)]
    public void Analyze_produces_a_labelled_finding(int sys, int dia, FindingKind kind, FindingSeverity severity)
    {
        var window = new TimeWindow(12, 12);

        var finding = BloodPressureClassifier.Analyze(sys, dia, window);

        Assert.Equal(kind, finding.Kind);
        Assert.Equal(severity, finding.Severity);
        Assert.Equal(window, finding.Window);
        Assert.Equal(sys, finding.Values["systolicMmHg"]);
        Assert.Equal(dia, finding.Values["diastolicMmHg"]);
        Assert.Contains($"{sys}/{dia} mmHg", finding.Text, StringComparison.Ordinal);
        Assert.Equal(AlgorithmInfo.BloodPressureName, finding.Algorithm);
        Assert.Equal(AlgorithmInfo.BloodPressureVersion, finding.AlgorithmVersion);
        Assert.True(finding.AutomatedScreening);
    }

    /// <summary>Independent statement of the guideline table, written as explicit row conditions.</summary>
    private static BloodPressureCategory Reference(int sys, int dia)
    {
        if (sys > 180 || dia > 120)
        {
            return BloodPressureCategory.HypertensiveCrisis;
        }

        if (sys >= 140 || dia >= 90)
        {
            return BloodPressureCategory.Stage2Hypertension;
        }

        if ((sys >= 130 && sys <= 139) || (dia >= 80 && dia <= 89))
        {
            return BloodPressureCategory.Stage1Hypertension;
        }

        if (sys >= 120 && sys <= 129 && dia < 80)
        {
            return BloodPressureCategory.Elevated;
        }

        Assert.True(sys < 120 && dia < 80);
        return BloodPressureCategory.Normal;
    }
}
