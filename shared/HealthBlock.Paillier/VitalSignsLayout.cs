namespace HealthBlock.Paillier;

/// <summary>
/// The packed counters of one patient-period (a period of at most an hour) that HealthBlock's cohort statistics sum, in
/// the order of <see cref="VitalSignSlot"/>: RR intervals counted and their sum in ms (so the cohort's mean heart rate
/// is 60,000 × count / sum), counts and sums of systolic and diastolic pressure and temperature, counts of seven
/// finding kinds, seconds of wear, and on top a <c>patient_periods</c> slot that every row sets to 1. Its sum counts the
/// rows in a sum (to check against <see cref="CiphertextSum.Count"/>), and because it is the highest slot and always 1,
/// every packed plaintext has the same bit length, so the one plaintext-dependent product of an encryption (m·n) takes
/// operands of one size. The per-period maxima hold for any stream an hour long: RR intervals of at least 200 ms
/// (300 bpm) end at most 18,000 times in an hour and sum to at most the hour plus one 6 s interval that began before
/// it; blood pressure at most every 10 s, temperature at most every 5 s (a contributor drops readings beyond a
/// maximum rather than exceed it).
/// </summary>
public static class VitalSignsLayout
{
    /// <summary>The default cohort bound: 100,000 patients.</summary>
    public const long DefaultMaxPatients = 100_000;

    /// <summary>The default period bound: a leap year of hours (24 × 366).</summary>
    public const long DefaultMaxPeriods = 24 * 366;

    /// <summary>The longest period one row may cover: an hour, in milliseconds.</summary>
    public const long MaxPeriodMs = SecondsPerHour * 1000;

    /// <summary>The top slot's name: 1 in every row, so a sum's value there is its number of patient-periods.</summary>
    public const string PatientPeriodsSlot = "patient_periods";

    /// <summary>The shortest RR interval counted, ms (300 bpm).</summary>
    public const long MinRrIntervalMs = 200;

    /// <summary>The longest RR interval counted, ms (10 bpm).</summary>
    public const long MaxRrIntervalMs = 6_000;

    private const long SecondsPerHour = 3600;
    private const long MaxPressureReadings = SecondsPerHour / 10;
    private const long MaxSystolicMmHg = 300;
    private const long MaxDiastolicMmHg = 200;
    private const long MaxTemperatureReadings = SecondsPerHour / 5;
    private const long MaxTemperatureCentiDegC = 4500;

    /// <summary>The slots in plaintext order, lowest bits first (index = <see cref="VitalSignSlot"/>).</summary>
    public static IReadOnlyList<PackedSlotBound> Slots { get; } =
    [
        new("rr_interval_count", MaxPeriodMs / MinRrIntervalMs),
        new("rr_interval_sum_ms", MaxPeriodMs + MaxRrIntervalMs),
        new("blood_pressure_count", MaxPressureReadings),
        new("systolic_sum_mmhg", MaxPressureReadings * MaxSystolicMmHg),
        new("diastolic_sum_mmhg", MaxPressureReadings * MaxDiastolicMmHg),
        new("temperature_count", MaxTemperatureReadings),
        new("temperature_sum_centi_degc", MaxTemperatureReadings * MaxTemperatureCentiDegC),
        new("findings_bradycardia", SecondsPerHour),
        new("findings_tachycardia", SecondsPerHour),
        new("findings_irregular_rhythm", SecondsPerHour),
        new("findings_pause", SecondsPerHour),
        new("findings_hypertension", MaxPressureReadings),
        new("findings_fever", MaxTemperatureReadings),
        new("findings_hypothermia", MaxTemperatureReadings),
        new("wear_seconds", SecondsPerHour),
        new(PatientPeriodsSlot, 1),
    ];

    /// <summary>The layout for a cohort of up to <paramref name="maxPatients"/> × <paramref name="maxPeriods"/> patient-periods.</summary>
    public static PackedLayout Create(
        long maxPatients = DefaultMaxPatients,
        long maxPeriods = DefaultMaxPeriods,
        int modulusBits = PaillierKeySize.Default) => PackedLayout.Create(Slots, maxPatients, maxPeriods, modulusBits);
}
