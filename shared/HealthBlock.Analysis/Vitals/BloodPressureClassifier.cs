using System.Globalization;
using System.Text.Json.Serialization;

namespace HealthBlock.Analysis;

/// <summary>
/// Classifies blood pressure by the 2017 ACC/AHA guideline (Whelton PK et al., "2017
/// ACC/AHA/AAPA/ABC/ACPM/AGS/APhA/ASH/ASPC/NMA/PCNA Guideline for the Prevention, Detection,
/// Evaluation, and Management of High Blood Pressure in Adults", Hypertension 2018;71:e13-e115).
/// </summary>
/// <remarks>
/// Systolic and diastolic values are each placed in a category and the higher category wins:
/// normal &lt;120/&lt;80; elevated 120-129 with &lt;80; stage 1 130-139 or 80-89; stage 2 ≥140 or ≥90;
/// hypertensive crisis &gt;180 and/or &gt;120 mmHg. The guideline classifies the average of repeated
/// readings; a single reading is screening only.
/// </remarks>
public static class BloodPressureClassifier
{
    /// <summary>Plausible systolic range for a real measurement, mmHg (outside → implausible reading).</summary>
    public const int MinPlausibleSystolic = 50;

    /// <summary>Upper end of the plausible systolic range, mmHg.</summary>
    public const int MaxPlausibleSystolic = 300;

    /// <summary>Plausible diastolic range for a real measurement, mmHg.</summary>
    public const int MinPlausibleDiastolic = 20;

    /// <summary>Upper end of the plausible diastolic range, mmHg.</summary>
    public const int MaxPlausibleDiastolic = 200;

    /// <summary>Classifies one reading.</summary>
    /// <param name="systolicMmHg">Systolic pressure, mmHg (0-500).</param>
    /// <param name="diastolicMmHg">Diastolic pressure, mmHg (0-500).</param>
    /// <returns>The ACC/AHA 2017 category (the higher of the systolic and diastolic categories).</returns>
    /// <exception cref="ArgumentOutOfRangeException">When a value is negative or above 500.</exception>
    public static BloodPressureCategory Classify(int systolicMmHg, int diastolicMmHg)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(systolicMmHg);
        ArgumentOutOfRangeException.ThrowIfNegative(diastolicMmHg);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(systolicMmHg, 500);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(diastolicMmHg, 500);

        var systolic = systolicMmHg switch
        {
            > 180 => BloodPressureCategory.HypertensiveCrisis,
            >= 140 => BloodPressureCategory.Stage2Hypertension,
            >= 130 => BloodPressureCategory.Stage1Hypertension,
            >= 120 => BloodPressureCategory.Elevated,
            _ => BloodPressureCategory.Normal,
        };
        var diastolic = diastolicMmHg switch
        {
            > 120 => BloodPressureCategory.HypertensiveCrisis,
            >= 90 => BloodPressureCategory.Stage2Hypertension,
            >= 80 => BloodPressureCategory.Stage1Hypertension,
            _ => BloodPressureCategory.Normal, // there is no "elevated" diastolic band
        };
        return systolic > diastolic ? systolic : diastolic;
    }

    /// <summary>
    /// Produces a finding for one reading: the category, or <see cref="FindingKind.ImplausibleReading"/> when
    /// the values cannot be a real measurement (outside the plausible ranges, or systolic ≤ diastolic).
    /// </summary>
    /// <param name="systolicMmHg">Systolic pressure, mmHg.</param>
    /// <param name="diastolicMmHg">Diastolic pressure, mmHg.</param>
    /// <param name="window">When the reading was taken, if known.</param>
    /// <returns>The finding.</returns>
    public static Finding Analyze(int systolicMmHg, int diastolicMmHg, TimeWindow? window = null)
    {
        var values = new FindingValues()
            .Add("systolicMmHg", systolicMmHg)
            .Add("diastolicMmHg", diastolicMmHg)
            .Build();
        var reading = string.Create(CultureInfo.InvariantCulture, $"{systolicMmHg}/{diastolicMmHg} mmHg");
        if (systolicMmHg is < MinPlausibleSystolic or > MaxPlausibleSystolic
            || diastolicMmHg is < MinPlausibleDiastolic or > MaxPlausibleDiastolic
            || systolicMmHg <= diastolicMmHg)
        {
            return Make(
                FindingKind.ImplausibleReading, FindingSeverity.Low,
                $"Blood pressure reading {reading} is not physiologically plausible; check the cuff and repeat the measurement.",
                window, values);
        }

        var category = Classify(systolicMmHg, diastolicMmHg);
        var (kind, severity, text) = category switch
        {
            BloodPressureCategory.Normal => (FindingKind.BloodPressureNormal, FindingSeverity.Info, "normal"),
            BloodPressureCategory.Elevated => (FindingKind.BloodPressureElevated, FindingSeverity.Low, "elevated"),
            BloodPressureCategory.Stage1Hypertension => (FindingKind.HypertensionStage1, FindingSeverity.Moderate, "stage 1 hypertension range"),
            BloodPressureCategory.Stage2Hypertension => (FindingKind.HypertensionStage2, FindingSeverity.High, "stage 2 hypertension range"),
            _ => (FindingKind.HypertensiveCrisis, FindingSeverity.Critical, "hypertensive crisis range (>180 and/or >120 mmHg)"),
        };
        return Make(kind, severity, $"Blood pressure {reading}: {text} (ACC/AHA 2017).", window, values);
    }

    private static Finding Make(FindingKind kind, FindingSeverity severity, string text, TimeWindow? window, IReadOnlyDictionary<string, double> values) =>
        new(kind, severity, text, window, values, AlgorithmInfo.BloodPressureName, AlgorithmInfo.BloodPressureVersion);
}
