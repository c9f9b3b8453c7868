namespace HealthBlock.Analysis;

/// <summary>A beat found by the streaming QRS detector, with what the beat classifier needs.</summary>
/// <param name="Sample">Input sample index of the R peak.</param>
/// <param name="Amplitude">Integrated feature at the detection.</param>
/// <param name="Morphology">Wide signal around the R peak (<see cref="QrsCandidate.MorphologyHalfSeconds"/> either side).</param>
/// <param name="Template">Index of the best-matching template (−1 if none yet).</param>
/// <param name="Correlation">Correlation with that template.</param>
/// <param name="Dominant">True when that template is the dominant beat shape.</param>
/// <param name="DominantCorrelation">Correlation with the dominant template (0 when there is none).</param>
/// <param name="Established">True when that template has enough members to be trusted.</param>
/// <param name="Noisy">True when the beat was found in a noisy context.</param>
/// <param name="SearchBack">True when the beat was found by search-back.</param>
internal readonly record struct QrsBeat(
    long Sample, double Amplitude, double[] Morphology, int Template, double Correlation, bool Dominant, double DominantCorrelation, bool Established, bool Noisy, bool SearchBack);
