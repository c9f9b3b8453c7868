using System.Text.Json.Serialization;

namespace HealthBlock.Analysis;

/// <summary>What a finding is about. Serialised by name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FindingKind>))]
public enum FindingKind
{
    /// <summary>Heart-rate and RR-interval summary of the analysed ECG.</summary>
    HeartRateSummary,

    /// <summary>Heart rate below 50 bpm (2018 ACC/AHA/HRS sinus bradycardia) over at least one 10 s epoch.</summary>
    Bradycardia,

    /// <summary>Heart rate above 100 bpm over at least one 10 s epoch.</summary>
    Tachycardia,

    /// <summary>Irregularly irregular RR intervals: possible atrial fibrillation.</summary>
    IrregularRhythm,

    /// <summary>An RR interval of 3 s or more.</summary>
    Pause,

    /// <summary>ECG excluded because electrodes were off (lead-off flag or invalid samples).</summary>
    LeadOff,

    /// <summary>ECG excluded because of saturation, flatline, high-frequency noise or too short a clean stretch.</summary>
    PoorSignalQuality,

    /// <summary>Not enough clean ECG to analyse.</summary>
    InsufficientSignal,

    /// <summary>Blood pressure: normal (ACC/AHA 2017).</summary>
    BloodPressureNormal,

    /// <summary>Blood pressure: elevated (ACC/AHA 2017).</summary>
    BloodPressureElevated,

    /// <summary>Blood pressure: stage 1 hypertension (ACC/AHA 2017).</summary>
    HypertensionStage1,

    /// <summary>Blood pressure: stage 2 hypertension (ACC/AHA 2017).</summary>
    HypertensionStage2,

    /// <summary>Blood pressure: hypertensive crisis (ACC/AHA 2017).</summary>
    HypertensiveCrisis,

    /// <summary>Body temperature in the normal range.</summary>
    TemperatureNormal,

    /// <summary>Body temperature at or above the fever threshold.</summary>
    Fever,

    /// <summary>Body temperature below the hypothermia threshold.</summary>
    Hypothermia,

    /// <summary>A reading outside the physiologically plausible range (sensor or entry error).</summary>
    ImplausibleReading,

    /// <summary>Three or more consecutive ventricular beats (a ventricular run; above 100 bpm, ventricular tachycardia).</summary>
    VentricularRun,
}
