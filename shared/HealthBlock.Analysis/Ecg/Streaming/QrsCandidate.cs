namespace HealthBlock.Analysis;

/// <summary>A peak of the integrated feature that may be a QRS complex, with what the decision logic and the beat
/// classifier need to know about it.</summary>
/// <param name="Index">Sample index of the feature peak (feature time: <see cref="QrsFeatureStage.FeatureLag"/> after the complex).</param>
/// <param name="Amplitude">Integrated feature at the peak.</param>
/// <param name="Slope">Largest absolute band-pass slope within the integration window of the peak.</param>
/// <param name="RPeak">Input sample index of the R peak (largest deflection of the wide signal).</param>
/// <param name="Morphology">Wide signal around the R peak, <see cref="QrsCandidate.MorphologyHalfSeconds"/> either side.</param>
/// <param name="Background">Mean of the integrated feature over the second before the candidate was confirmed.</param>
internal sealed record QrsCandidate(long Index, double Amplitude, double Slope, long RPeak, double[] Morphology, double Background)
{
    /// <summary>Half-width of <see cref="Morphology"/>, seconds.</summary>
    public const double MorphologyHalfSeconds = 0.15;
}
