using HealthBlock.Analysis;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor.Diagnosing;

/// <summary>An automated diagnosis, sealed and ready to store and sign.</summary>
/// <param name="Number">The diagnosis number it is sealed with.</param>
/// <param name="SealedDocument">The stored block: nonce ‖ ciphertext ‖ tag.</param>
/// <param name="Covers">The covered IoT transaction ids, ascending.</param>
/// <param name="WindowStartMs">Start of the covered window.</param>
/// <param name="WindowEndMs">End of the covered window.</param>
/// <param name="EarliestReadingMs">Device time of the earliest new frame (where latency is measured from).</param>
/// <param name="Cites">The live sub-batches it cites (alarms and finding changes), or null.</param>
internal sealed record ComposedDiagnosis(ulong Number, byte[] SealedDocument, IReadOnlyList<string> Covers, long WindowStartMs, long WindowEndMs, long EarliestReadingMs, IReadOnlyList<LiveCitation>? Cites = null)
{
    /// <summary>The diagnosis transaction's payload once the document is stored at <paramref name="cid"/>.</summary>
    public DiagnosisPayload ToPayload(IdentityId patient, uint epoch, Cid cid) =>
        new(patient, epoch, cid, [.. Covers.Select(Convert.FromHexString)], WindowStartMs, WindowEndMs, null, Cites is { Count: > 0 } ? Cites : null);
}

/// <summary>
/// Writes the automated diagnosis of opened batches: their frames with the patient's preceding ECG
/// (<see cref="EcgContext"/>) go through <see cref="BatchAnalyzer"/>; the findings, ECG summaries, readings and counts
/// become a <see cref="DiagnosisDocument"/> (<see cref="DiagnosisKinds.AutomatedScreening"/>, window and covered ids
/// from the batches, the next <see cref="DiagnosisNumbers">number</see>), sealed under the patient's diagnosis key
/// (<see cref="SealedDiagnosis"/>).
/// </summary>
internal sealed class DiagnosisComposer(IdentityId doctor, DiagnosisNumbers numbers, EcgContext ecgContext, BatchAnalysisOptions analysis, TimeProvider time)
{
    /// <summary>Analyses, writes and seals the diagnosis of <paramref name="batches"/> (opened, one patient and epoch).</summary>
    /// <exception cref="ArgumentException">The sealed document would not fit one block.</exception>
    public ComposedDiagnosis Compose(IdentityId patient, uint epoch, IReadOnlyList<OpenedBatch> batches, byte[] diagnosisKey)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var windowStart = batches.Min(o => o.Item.WindowStartMs);
        var windowEnd = batches.Max(o => o.Item.WindowEndMs);
        var fresh = batches.SelectMany(o => o.Frames!).ToList();
        var result = BatchAnalyzer.Analyze(ecgContext.With(patient, fresh), windowStart, analysis);
        var covers = batches.Select(o => o.Item.TxId).Order(StringComparer.Ordinal).ToList();
        var number = numbers.Next();
        var document = Automated(DiagnosisKinds.AutomatedScreening, patient, epoch, number, covers, windowStart, windowEnd) with
        {
            Analysis = result.Report,
            Ecg = result.Ecg,
            Readings = result.Readings,
            Frames = result.Frames,
            Algorithms = result.Algorithms,
        };
        var earliest = fresh.Count > 0 ? fresh.Min(f => f.TimestampMs) : windowStart;
        return new ComposedDiagnosis(number, SealedDiagnosis.Seal(document, diagnosisKey), covers, windowStart, windowEnd, earliest);
    }

    /// <summary>
    /// Writes a diagnosis of the live path's streaming analysis: an alarm or finding change (<paramref name="cites"/> the
    /// sub-batches used, covers nothing) or a period's summary (covers the period's committed IoT transactions).
    /// <c>counts</c> are the frames seen: total, ECG, blood pressure, temperature.
    /// </summary>
    public ComposedDiagnosis ComposeLive(string kind, IdentityId patient, uint epoch, IReadOnlyList<Finding> findings, IReadOnlyList<string> covers, IReadOnlyList<LiveCitation>? cites, long windowStartMs, long windowEndMs, long readingMs, int[] counts, byte[] diagnosisKey)
    {
        var number = numbers.Next();
        var document = Automated(kind, patient, epoch, number, covers, windowStartMs, windowEndMs) with
        {
            Analysis = AnalysisReport.Create(findings),
            Frames = new FrameStatistics(counts[0], counts[1], counts[2], counts[3], 0, 0),
            Algorithms = [new AlgorithmUse(AlgorithmInfo.RhythmName, AlgorithmInfo.RhythmVersion), new AlgorithmUse(AlgorithmInfo.BloodPressureName, AlgorithmInfo.BloodPressureVersion), new AlgorithmUse(AlgorithmInfo.TemperatureName, AlgorithmInfo.TemperatureVersion)],
        };
        return new ComposedDiagnosis(number, SealedDiagnosis.Seal(document, diagnosisKey), covers, windowStartMs, windowEndMs, readingMs, cites);
    }

    /// <summary>The fields every automated diagnosis document has.</summary>
    private DiagnosisDocument Automated(string kind, IdentityId patient, uint epoch, ulong number, IReadOnlyList<string> covers, long windowStartMs, long windowEndMs) => new()
    {
        Kind = kind,
        Patient = patient.ToString(),
        Doctor = doctor.ToString(),
        Epoch = epoch,
        Number = number,
        Covers = covers,
        WindowStartMs = windowStartMs,
        WindowEndMs = windowEndMs,
        CreatedMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
        Label = DiagnosisDocument.AutomatedScreeningLabel,
        Disclaimer = AlgorithmInfo.ScreeningDisclaimer,
    };
}
