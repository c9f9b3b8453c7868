using System.Globalization;

namespace HealthBlock.LedgerGrowth.Bench;

/// <summary>Prints the checkpoints and the one-year extrapolation.</summary>
internal static class Report
{
    private const double MiB = 1024 * 1024;

    public static void Row(Checkpoint c, int patients)
    {
        var patientDays = patients * c.Days;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            checkpoint {c.Days * 24:F2} h ({c.Transactions:N0} transactions):
              disk {c.DiskBytes / MiB:F1} MiB ({string.Join(", ", c.Disk.Select(d => $"{d.Key} {d.Value / MiB:F2}"))}) beside the transactions' own bytes {c.TransactionBytes / MiB:F1} MiB; {c.DiskBytes / patientDays / 1e6:F3} MB per patient-day (goal <= 1)
              restart {c.RestartMs:F0} ms beside reading the folder once {c.ReadFolderMs:F0} ms
              audit {(c.Audited ? $"{c.AuditMs / 1000:F1} s" : "not run (beyond --audit-until-hours)")} beside its signature checks alone {c.VerifyOnlyMs / 1000:F1} s
            """));
        foreach (var (name, (p50, p99)) in c.Queries)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-30} p50 {p50:F2} ms  p99 {p99:F2} ms"));
        }
    }

    public static void Extrapolate(IReadOnlyList<Checkpoint> checkpoints, int patients)
    {
        GrowthLaw Law(Func<Checkpoint, double> y) => GrowthLaw.Fit([.. checkpoints.Select(c => (c.Days, y(c)))]);
        var disk = Law(c => c.DiskBytes);
        var raftFree = Law(c => c.DiskBytes - c.Disk["raft"]);
        var restart = Law(c => c.RestartMs);
        // The audit is linear in transactions: checkpoints without one take the audited ones' time per transaction.
        var audited = checkpoints.Where(c => c.Audited).ToList();
        var msPerTransaction = audited.Count == 0 ? double.NaN : audited.Sum(c => c.AuditMs) / audited.Sum(c => c.Transactions);
        var audit = Law(c => c.Audited ? c.AuditMs : msPerTransaction * c.Transactions);
        var verify = Law(c => c.VerifyOnlyMs);
        var read = Law(c => c.ReadFolderMs);
        var scale = 1000.0 / patients;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            growth law (least squares over {checkpoints.Count} checkpoints, per simulated day, {patients} patients):
              disk {disk.Slope / MiB:F1} MiB/day -> ledger bytes per patient-day {raftFree.Slope / patients / 1e6:F3} MB (chains + offsets + index + snapshot; the Raft log is bounded, {checkpoints[^1].Disk["raft"] / MiB:F1} MiB at the end) (goal <= 1 MB)
              restart {restart.Slope:F1} ms/day, audit {audit.Slope / 1000:F1} s/day (signature checks alone {verify.Slope / 1000:F1} s/day), reading the folder {read.Slope:F1} ms/day
            one year for 1,000 patients (linear in patients and days):
              disk {disk.At(365) * scale / (1024 * MiB):F1} GiB
              restart {restart.At(365) / 1000:F2} s (goal < 10 s) beside reading every byte once ~{read.At(365) * scale / 1000:F0} s
              audit {audit.At(365) * scale / 3_600_000:F1} h beside its signature checks alone {verify.At(365) * scale / 3_600_000:F1} h (audited at {audited.Count} of {checkpoints.Count} checkpoints, {msPerTransaction * 1000:F1} µs per transaction)
            """));
        // p99 on a shared machine is dominated by other processes' bursts; the law is fitted to p50, and the worst p99
        // measured is shown beside it.
        foreach (var name in checkpoints[0].Queries.Keys)
        {
            var p50 = Law(c => c.Queries[name].P50);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-30} p50 {p50.At(365):F2} ms at one year (slope {p50.Slope:F3} ms/day); worst p99 measured {checkpoints.Max(c => c.Queries[name].P99):F2} ms"));
        }
    }
}
