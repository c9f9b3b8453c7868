namespace HealthBlock.Analysis;

/// <summary>Thresholds of the ECG analysis. Defaults are documented per property; units are in the names.</summary>
public sealed record EcgAnalysisOptions
{
    /// <summary>Signal-quality window length, seconds (default 2).</summary>
    public double QualityWindowSeconds { get; init; } = 2.0;

    /// <summary>Samples within this distance of a lead-off sample are excluded too, seconds (default 0.5),
    /// because electrode contact transients follow a lead-off.</summary>
    public double LeadOffPaddingSeconds { get; init; } = 0.5;

    /// <summary>A window whose peak-to-peak amplitude is below this is a flatline, mV (default 0.02). Real electrodes
    /// always show some noise (a 0.01 mV RMS noise floor gives about 0.06 mV peak-to-peak over 2 s), so only a dead or
    /// disconnected channel falls below; a clean pause in the rhythm does not.</summary>
    public double FlatlinePeakToPeakMv { get; init; } = 0.02;

    /// <summary>Runs of identical values at the window's maximum or minimum at least this long count as
    /// clipping, seconds (default 0.03).</summary>
    public double SaturationRunSeconds { get; init; } = 0.03;

    /// <summary>A window with at least this much clipping (in total) is saturated, seconds (default 0.1).</summary>
    public double SaturationTotalSeconds { get; init; } = 0.1;

    /// <summary>Cut-off of the high-pass filter that isolates high-frequency noise, Hz (default 40).</summary>
    public double NoiseCutoffHz { get; init; } = 40.0;

    /// <summary>A window whose robust high-frequency noise level (1.4826 × median absolute value of the
    /// signal above <see cref="NoiseCutoffHz"/>) exceeds this is too noisy, mV (default 0.2, i.e. a fifth of a
    /// typical 1 mV QRS; the QRS itself barely moves a median).</summary>
    public double NoiseSigmaMv { get; init; } = 0.2;

    /// <summary>Clean stretches shorter than this are not analysed, seconds (default 5).</summary>
    public double MinSegmentSeconds { get; init; } = 5.0;

    /// <summary>Heart-rate epoch length for bradycardia/tachycardia, seconds (default 10).</summary>
    public double RateEpochSeconds { get; init; } = 10.0;

    /// <summary>Bradycardia below this rate, bpm (default 50: sinus bradycardia in the 2018 ACC/AHA/HRS guideline on
    /// bradycardia and cardiac conduction delay, Kusumoto et al., Circulation 140:e382).</summary>
    public double BradycardiaBpm { get; init; } = 50.0;

    /// <summary>Bradycardia severity is High below this rate, bpm (default 40).</summary>
    public double SevereBradycardiaBpm { get; init; } = 40.0;

    /// <summary>Tachycardia above this rate, bpm (default 100, the conventional limit of sinus tachycardia, as in the 2015
    /// ACC/AHA/HRS guideline on supraventricular tachycardia).</summary>
    public double TachycardiaBpm { get; init; } = 100.0;

    /// <summary>Tachycardia severity is High above this rate, bpm (default 150).</summary>
    public double SevereTachycardiaBpm { get; init; } = 150.0;

    /// <summary>An RR interval at least this long is a pause, seconds (default 3.0: the 2018 ACC/AHA/HRS bradycardia
    /// guideline treats pauses ≥ 3 s as significant).</summary>
    public double PauseSeconds { get; init; } = 3.0;

    /// <summary>RR intervals per irregularity window (default 32; windows overlap by half).</summary>
    public int IrregularityWindowBeats { get; init; } = 32;

    /// <summary>Normalised RMSSD (RMSSD / mean RR, after trimming) at or above which a window is irregular (default 0.10).</summary>
    public double IrregularityNormalizedRmssd { get; init; } = 0.10;
}
