namespace HealthBlock.Analysis;

/// <summary>Names, versions and the screening disclaimer recorded with every finding.</summary>
/// <remarks>Bump a version whenever a change can alter the findings that algorithm produces.</remarks>
public static class AlgorithmInfo
{
    /// <summary>Version of the analysis library as a whole.</summary>
    public const string LibraryVersion = "2.0.0";

    /// <summary>Label attached to every report: the results are automated screening, not a diagnosis.</summary>
    public const string ScreeningDisclaimer =
        "Automated screening result produced by software for review by a qualified clinician. It is not a diagnosis.";

    /// <summary>QRS detector name.</summary>
    public const string QrsDetectorName = QrsDetector.AlgorithmName;

    /// <summary>QRS detector version.</summary>
    public const string QrsDetectorVersion = QrsDetector.AlgorithmVersion;

    /// <summary>Rhythm analysis (rate, pauses, irregularity) name.</summary>
    public const string RhythmName = "HealthBlock.RhythmAnalysis";

    /// <summary>Rhythm analysis version.</summary>
    public const string RhythmVersion = "2.0.0";

    /// <summary>ECG signal-quality assessment name.</summary>
    public const string SignalQualityName = "HealthBlock.EcgSignalQuality";

    /// <summary>ECG signal-quality assessment version.</summary>
    public const string SignalQualityVersion = "2.0.0";

    /// <summary>Blood-pressure classification name.</summary>
    public const string BloodPressureName = "HealthBlock.BloodPressure (ACC/AHA 2017)";

    /// <summary>Blood-pressure classification version.</summary>
    public const string BloodPressureVersion = "1.0.0";

    /// <summary>Temperature classification name.</summary>
    public const string TemperatureName = "HealthBlock.Temperature";

    /// <summary>Temperature classification version.</summary>
    public const string TemperatureVersion = "1.0.0";
}
