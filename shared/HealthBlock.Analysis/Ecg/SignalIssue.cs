namespace HealthBlock.Analysis;

/// <summary>Why a stretch of ECG was excluded from analysis (flags may combine).</summary>
[Flags]
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SignalIssue>))]
public enum SignalIssue
{
    /// <summary>No issue: analysable.</summary>
    None = 0,

    /// <summary>Electrodes off (lead-off mask) or invalid (NaN/infinite) samples.</summary>
    LeadOff = 1,

    /// <summary>Clipping at the amplifier's range.</summary>
    Saturation = 2,

    /// <summary>No signal (peak-to-peak below the flatline threshold).</summary>
    Flatline = 4,

    /// <summary>Excessive high-frequency (muscle/electrical) noise.</summary>
    HighFrequencyNoise = 8,

    /// <summary>Clean, but too short a stretch between excluded parts to analyse.</summary>
    TooShort = 16,

    /// <summary>Artefact the QRS detector could not tell from QRS complexes (beats may be missing or false there).</summary>
    Artefact = 32,

    /// <summary>Samples never received (a gap between the frames of a stream).</summary>
    Missing = 64,
}
