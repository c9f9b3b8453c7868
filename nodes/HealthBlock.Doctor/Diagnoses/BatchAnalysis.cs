using HealthBlock.Analysis;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Doctor;

/// <summary>What <see cref="BatchAnalyzer.Analyze"/> found in a set of frames.</summary>
/// <param name="Report">All findings, labelled as automated screening, most severe first.</param>
/// <param name="Ecg">One summary per continuous ECG recording.</param>
/// <param name="Readings">Blood-pressure and temperature readings.</param>
/// <param name="Frames">Frame counts.</param>
/// <param name="Algorithms">Algorithms used, with versions.</param>
/// <param name="EarliestReadingMs">Timestamp of the earliest frame, or null without frames.</param>
public sealed record BatchAnalysis(
    AnalysisReport Report,
    IReadOnlyList<EcgRecordingSummary> Ecg,
    IReadOnlyList<VitalReading> Readings,
    FrameStatistics Frames,
    IReadOnlyList<AlgorithmUse> Algorithms,
    long? EarliestReadingMs);
