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
    /// <param name="report">The report so far.</param>
    /// <param name="live">The live path, or null for the per-batch design.</param>
    /// <param name="replicaFolder">One accounting node's data folder.</param>
    /// <param name="atStart">That folder's bytes, and its Raft log's, when streaming started.</param>
    /// <param name="patients">Patients.</param>
    /// <param name="streamed">How long the wearables streamed.</param>
    public static DevnetReport Add(DevnetReport report, DevnetLivePath? live, string replicaFolder, (long Replica, long Raft) atStart, int patients, TimeSpan streamed)
    {
        var end = DevnetLivePath.FolderBytes(replicaFolder);
        var raft = DevnetLivePath.FolderBytes(Path.Combine(replicaFolder, "raft"));
        double PerPatientDay(long grown) => streamed.TotalSeconds > 0 ? Math.Round(grown / (double)patients / streamed.TotalSeconds * 86_400) : 0;
        return report with
        {
            LedgerBytesPerPatientDay = PerPatientDay(end - atStart.Replica),
            ChainBytesPerPatientDay = PerPatientDay(end - raft - (atStart.Replica - atStart.Raft)),
            ReplicaBytes = end,
            RaftLogBytes = raft,
            AlarmLatencyMs = LatencyReport.Of(live?.AlarmLatencies ?? []),
            AlarmCommitLatencyMs = LatencyReport.Of(live?.AlarmCommitLatencies ?? []),
            AlarmStagesMs = live?.Stages.Report() ?? [],
            Alarms = live?.Committed(DiagnosisKinds.Alarm) ?? 0,
            SummaryDiagnoses = live?.Committed(DiagnosisKinds.Summary) ?? 0,
            FindingChanges = live?.Committed(DiagnosisKinds.FindingChange) ?? 0,
        };
    }
}
