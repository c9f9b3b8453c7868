namespace HealthBlock.Analysis;

/// <summary>One beat of a synthetic ECG: when it is, what it is and how it is drawn.</summary>
/// <param name="TimeSeconds">Fiducial (R-peak) time, seconds from sample 0.</param>
/// <param name="Morphology">Its shape and reference label.</param>
/// <param name="Amplitude">Scale of its waves (the R amplitude in millivolts times any conduction factor).</param>
/// <param name="PreviousRrSeconds">Interval from the previous beat (sets the T-wave stretch).</param>
/// <param name="Conducted">True for a supraventricular beat (preceded by a P wave in sinus rhythm).</param>
public readonly record struct SyntheticBeat(
    double TimeSeconds,
    SyntheticBeatMorphology Morphology,
    double Amplitude,
    double PreviousRrSeconds,
    bool Conducted)
{
    /// <summary>The reference label (e.g. N, L, R, V).</summary>
    public AnnotationCode Label => Morphology.Label;
}
