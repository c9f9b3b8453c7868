namespace HealthBlock.Analysis;

/// <summary>The rhythm as an ECG stream currently sees it (over the last 10 s rate epoch of readable signal).</summary>
/// <param name="HeartRateBpm">Heart rate of the last complete rate epoch, or null before the first one.</param>
/// <param name="Bradycardia">True while a bradycardia episode is open.</param>
/// <param name="Tachycardia">True while a tachycardia episode is open.</param>
/// <param name="IrregularRhythm">True while an irregular-rhythm (possible AF) episode is open.</param>
/// <param name="VentricularBeatsInRow">Consecutive ventricular (V) beats up to the last beat.</param>
/// <param name="LastBeatSample">Sample of the last final beat, or null.</param>
/// <param name="Readable">False while the signal is unreadable (lead-off, missing samples, artefact).</param>
public sealed record RhythmState(
    double? HeartRateBpm,
    bool Bradycardia,
    bool Tachycardia,
    bool IrregularRhythm,
    int VentricularBeatsInRow,
    long? LastBeatSample,
    bool Readable);
