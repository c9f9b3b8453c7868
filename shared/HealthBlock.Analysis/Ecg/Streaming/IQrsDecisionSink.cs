namespace HealthBlock.Analysis;

/// <summary>Receives the decisions of <see cref="QrsDecisionLogic"/>.</summary>
internal interface IQrsDecisionSink
{
    /// <summary>A candidate accepted as a beat.</summary>
    void Accept(QrsCandidate candidate, BeatMatch match, bool dominant, double dominantCorrelation, bool established, bool noisy, bool searchBack);

    /// <summary>A candidate above threshold rejected because it does not look like any known beat in a noisy context.</summary>
    void Artefact(QrsCandidate candidate);

    /// <summary>The position with an R peak in <c>[fromR, toR]</c> where the wide signal best matches <paramref name="template"/>
    /// (see <see cref="HiddenBeatSearch"/>), as a candidate, or null.</summary>
    QrsCandidate? FindHidden(double[] template, int edge, long fromR, long toR, double minFeature, double background, out double correlation);
}
