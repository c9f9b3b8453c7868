namespace HealthBlock.Analysis;

/// <summary>What the QRS detector found: beats, and the stretches it could not read.</summary>
/// <param name="Beats">R-peak sample indices, ascending.</param>
/// <param name="Unreadable">Unreadable stretches, ascending and disjoint; no beat lies inside one.</param>
public sealed record QrsDetection(IReadOnlyList<long> Beats, IReadOnlyList<EcgSpan> Unreadable);
