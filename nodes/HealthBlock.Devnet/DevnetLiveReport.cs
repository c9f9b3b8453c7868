using HealthBlock.Doctor;

namespace HealthBlock.Devnet;

/// <summary>
/// The ledger-growth and live-path fields of a devnet report: one replica's folder growth over the streamed time per
/// patient, extrapolated to a day (chains + Raft log + state, measured from disk), the Raft log's size, alarm latencies
/// (reading → doctor node; reading → committed) and diagnoses by kind.
/// </summary>
internal static class DevnetLiveReport
{
    /// <summary>Adds the fields to <paramref name="report"/>.</summary>
    public static DevnetReport Add(DevnetReport report, DevnetLivePath? live, string replicaFolder, long replicaBytesAtStart, int patients, TimeSpan streamed)
    {
        var end = DevnetLivePath.FolderBytes(replicaFolder);
        var perPatientDay = streamed.TotalSeconds > 0 ? (end - replicaBytesAtStart) / (double)patients / streamed.TotalSeconds * 86_400 : 0;
        return report with
        {
            LedgerBytesPerPatientDay = Math.Round(perPatientDay),
            ReplicaBytes = end,
            RaftLogBytes = DevnetLivePath.FolderBytes(Path.Combine(replicaFolder, "raft")),
            AlarmLatencyMs = LatencyReport.Of(live?.AlarmLatencies ?? []),
            AlarmCommitLatencyMs = LatencyReport.Of(live?.AlarmCommitLatencies ?? []),
            Alarms = live?.Committed(DiagnosisKinds.Alarm) ?? 0,
            SummaryDiagnoses = live?.Committed(DiagnosisKinds.Summary) ?? 0,
            FindingChanges = live?.Committed(DiagnosisKinds.FindingChange) ?? 0,
        };
    }
}
