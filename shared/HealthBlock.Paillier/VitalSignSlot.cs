namespace HealthBlock.Paillier;

/// <summary>
/// The counters of <see cref="VitalSignsLayout"/>, in slot order (the value is the slot's index, lowest bits first).
/// Every counter is for one patient over one period of at most an hour; <c>docs/paillier.md</c> defines each.
/// </summary>
public enum VitalSignSlot
{
    /// <summary>RR intervals counted (consecutive beats of readable ECG, 200 ms to 6 s apart).</summary>
    RrIntervalCount,

    /// <summary>The sum of those RR intervals, milliseconds: mean heart rate = 60,000 × count / sum.</summary>
    RrIntervalSumMs,

    /// <summary>Blood-pressure readings counted.</summary>
    BloodPressureCount,

    /// <summary>Sum of their systolic pressures, mmHg.</summary>
    SystolicSumMmHg,

    /// <summary>Sum of their diastolic pressures, mmHg.</summary>
    DiastolicSumMmHg,

    /// <summary>Temperature readings counted.</summary>
    TemperatureCount,

    /// <summary>Sum of those temperatures, hundredths of a degree Celsius.</summary>
    TemperatureSumCentiDegC,

    /// <summary>Bradycardia findings (rate episodes below 50 bpm) that began in the period.</summary>
    FindingsBradycardia,

    /// <summary>Tachycardia findings (above 100 bpm) that began in the period.</summary>
    FindingsTachycardia,

    /// <summary>Irregular-rhythm findings (possible atrial fibrillation) that began in the period.</summary>
    FindingsIrregularRhythm,

    /// <summary>Pauses (RR of 3 s or more) that began in the period.</summary>
    FindingsPause,

    /// <summary>Blood-pressure readings in stage 1 hypertension or above (ACC/AHA 2017).</summary>
    FindingsHypertension,

    /// <summary>Temperature readings of 38.00 °C or more.</summary>
    FindingsFever,

    /// <summary>Temperature readings below 35.00 °C.</summary>
    FindingsHypothermia,

    /// <summary>Seconds of the period in which the ECG was worn (a sample not flagged lead-off or sensor fault).</summary>
    WearSeconds,

    /// <summary>Always 1: a sum's value here is the number of patient-periods in it.</summary>
    PatientPeriods,
}
