namespace HealthBlock.Analysis;

/// <summary>One detected and classified beat of an ECG stream.</summary>
/// <param name="Sample">Absolute sample index of the R peak (sample 0 is the stream's origin).</param>
/// <param name="Label">Beat label: <see cref="AnnotationCode.Normal"/> (N), <see cref="AnnotationCode.PrematureVentricular"/>
/// (V) or <see cref="AnnotationCode.Unknown"/> (Q, unclassifiable).</param>
public readonly record struct EcgBeat(long Sample, AnnotationCode Label);
