namespace HealthBlock.Analysis;

/// <summary>What became final in one call to <see cref="IStreamingEcgAnalyzer.Push"/> or
/// <see cref="IStreamingEcgAnalyzer.Complete"/>. Everything is in absolute sample indices of the stream; finding windows
/// are seconds from sample 0 (see <see cref="EcgStream"/> for the time rule).</summary>
/// <param name="Beats">Beats that became final, in time order.</param>
/// <param name="Unreadable">Unreadable spans that became final, in time order (no beat is reported inside one).</param>
/// <param name="Findings">Findings whose evidence span closed.</param>
/// <param name="Rhythm">The rhythm state after this call.</param>
/// <param name="FinalThrough">Every sample before this index is final: nothing more will be reported before it.</param>
/// <param name="IgnoredSamples">Samples of this call that had been analysed already (overlapping frames) and were skipped.</param>
public sealed record EcgStreamUpdate(
    IReadOnlyList<EcgBeat> Beats,
    IReadOnlyList<EcgSpan> Unreadable,
    IReadOnlyList<Finding> Findings,
    RhythmState Rhythm,
    long FinalThrough,
    long IgnoredSamples);
