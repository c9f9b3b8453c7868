using HealthBlock.Paillier;

namespace HealthBlock.Statistics;

/// <summary>
/// The figures a cohort can be asked for, each computed from the decrypted sum of the packed counters
/// (<see cref="VitalSignsLayout"/>): a mean is a sum over a count, both summed over every patient-period.
/// </summary>
public static class CohortMetric
{
    /// <summary>Mean heart rate, beats per minute: 60,000 × RR intervals ÷ their total length in ms.</summary>
    public const string HeartRate = "heart_rate";

    /// <summary>Mean systolic pressure, mmHg.</summary>
    public const string Systolic = "systolic";

    /// <summary>Mean diastolic pressure, mmHg.</summary>
    public const string Diastolic = "diastolic";

    /// <summary>Mean temperature, °C.</summary>
    public const string Temperature = "temperature";

    /// <summary>Share of blood-pressure readings at ACC/AHA stage 1 or above.</summary>
    public const string HypertensionShare = "hypertension_share";

    /// <summary>Share of temperature readings at or above 38.0 °C.</summary>
    public const string FeverShare = "fever_share";

    /// <summary>Hours of ECG wear.</summary>
    public const string WearHours = "wear_hours";

    /// <summary>Every metric name.</summary>
    public static IReadOnlyList<string> All { get; } = [HeartRate, Systolic, Diastolic, Temperature, HypertensionShare, FeverShare, WearHours];

    /// <summary>True for a known metric.</summary>
    public static bool IsKnown(string metric) => All.Contains(metric, StringComparer.Ordinal);

    /// <summary>
    /// The metric's figure and the readings it rests on, from a decoded row; the figure is null when there are no readings.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown metric.</exception>
    public static (double? Value, long Readings) Compute(string metric, IReadOnlyList<long> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        long At(VitalSignSlot slot) => row[(int)slot];
        return metric switch
        {
            HeartRate => Ratio(60_000.0 * At(VitalSignSlot.RrIntervalCount), At(VitalSignSlot.RrIntervalSumMs), At(VitalSignSlot.RrIntervalCount)),
            Systolic => Ratio(At(VitalSignSlot.SystolicSumMmHg), At(VitalSignSlot.BloodPressureCount), At(VitalSignSlot.BloodPressureCount)),
            Diastolic => Ratio(At(VitalSignSlot.DiastolicSumMmHg), At(VitalSignSlot.BloodPressureCount), At(VitalSignSlot.BloodPressureCount)),
            Temperature => Ratio(At(VitalSignSlot.TemperatureSumCentiDegC) / 100.0, At(VitalSignSlot.TemperatureCount), At(VitalSignSlot.TemperatureCount)),
            HypertensionShare => Ratio(At(VitalSignSlot.FindingsHypertension), At(VitalSignSlot.BloodPressureCount), At(VitalSignSlot.BloodPressureCount)),
            FeverShare => Ratio(At(VitalSignSlot.FindingsFever), At(VitalSignSlot.TemperatureCount), At(VitalSignSlot.TemperatureCount)),
            WearHours => (At(VitalSignSlot.WearSeconds) / 3600.0, At(VitalSignSlot.PatientPeriods)),
            _ => throw new ArgumentException($"Unknown metric '{metric}'; known: {string.Join(", ", All)}.", nameof(metric)),
        };
    }

    private static (double? Value, long Readings) Ratio(double numerator, long denominator, long readings) =>
        (denominator == 0 ? null : numerator / denominator, readings);
}
