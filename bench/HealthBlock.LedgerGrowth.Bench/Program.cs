using System.Diagnostics;
using System.Globalization;
using HealthBlock.Ledger;
using HealthBlock.LedgerGrowth.Bench;
using HealthBlock.Protocol.Ledger;

// Builds a ledger for N patients in the period design (one IoT transaction per patient per 60 s, one summary per
// patient per doctor per 15 min, two doctors each), stopping at checkpoints of simulated time; at each it restarts an
// accounting node on the folder and measures restart, query latency, a full audit over HTTP and the disk, each beside
// a ceiling measured in the same run; then fits the growth law and extrapolates to one year.
//   dotnet run -c Release --project bench/HealthBlock.LedgerGrowth.Bench -- --patients 1000 --hours 1,3,6
//   dotnet run -c Release --project bench/HealthBlock.LedgerGrowth.Bench -- --patients 1000 --hours 24,72,168 (about 30 min on 2 cores)
//   dotnet run -c Release --project bench/HealthBlock.LedgerGrowth.Bench -- --smoke
// The full audit (every signature verified) runs at checkpoints up to --audit-until-hours (default 24): beyond, it is
// extrapolated from the audited checkpoints' time per transaction (the audit is linear in transactions: a week for
// 1,000 patients is 11 M signature checks, longer than the rest of the run).
var inv = CultureInfo.InvariantCulture;
var smoke = args.Contains("--smoke");
var patients = smoke ? 20 : int.Parse(Arg("--patients") ?? "1000", inv);
var hours = (Arg("--hours") ?? (smoke ? "0.1,0.2" : "1,3,6")).Split(',').Select(h => double.Parse(h, inv)).Order().ToArray();
var auditUntil = double.Parse(Arg("--audit-until-hours") ?? "24", inv);
if (patients < 1 || hours.Length == 0 || hours[0] <= 0)
{
    Console.Error.WriteLine("usage: [--smoke] [--patients N] [--hours h1,h2,...] [--audit-until-hours H] (simulated hours at each checkpoint, ascending)");
    return 2;
}

var folder = Directory.CreateTempSubdirectory("healthblock-growth-").FullName;
try
{
    var (genesis, admin, nodeKeys) = GenesisKeys.Generate(1, diagnosisFee: 1);
    using var population = new Population(patients, genesis, admin);
    var periodMs = Population.PeriodSeconds * 1000L;
    var startMs = ((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (long)((hours[^1] + 2) * 3_600_000)) / periodMs) * periodMs;
    var checkpoints = new List<Checkpoint>();
    long period = 0, transactions = 0, transactionBytes = 0;
    var byType = new Dictionary<TransactionType, (long Count, long Bytes)>();
    var writer = new ChainWriter(folder, genesis, nodeKeys[0]);
    population.Setup(writer, startMs);
    Console.WriteLine($"{patients} patients, {Math.Max(2, patients / 50)} doctors (two per patient); checkpoints at {string.Join(", ", hours)} simulated hours; {Environment.ProcessorCount} cores");
    foreach (var h in hours)
    {
        var clock = Stopwatch.StartNew();
        var target = (long)Math.Round(h * 60);
        var from = period;
        long StartOf(long p) => startMs + periodMs + (p * periodMs);

        // Signing (in parallel) of the next period overlaps applying and writing this one.
        var next = period < target ? Task.Run(() => population.SignIot(period, StartOf(period))) : null;
        for (; period < target; period++)
        {
            var iot = await next!;
            var following = period + 1;
            next = following < target ? Task.Run(() => population.SignIot(following, StartOf(following))) : null;
            population.WritePeriod(writer, period, StartOf(period), iot);
        }

        var verifyMs = writer.VerifyMsPerTransaction();
        foreach (var (type, (count, bytes)) in writer.ByType)
        {
            var (c, b) = byType.GetValueOrDefault(type);
            byType[type] = (c + count, b + bytes);
        }

        transactions += writer.Transactions;
        transactionBytes += writer.TransactionBytes;
        writer.Dispose();
        Console.WriteLine($"  generated {target - from} periods in {clock.Elapsed.TotalSeconds:F1} s");
        var last = h == hours[^1];
        var checkpoint = await Probe.MeasureAsync(folder, genesis, nodeKeys[0], population, h / 24, transactions, transactionBytes, verifyMs, audit: h <= auditUntil, last ? node => LiveAsync(node, population, period) : null);
        checkpoints.Add(checkpoint);
        Report.Row(checkpoint, patients);
        if (!last)
        {
            writer = new ChainWriter(folder, genesis, nodeKeys[0]);
        }
    }

    Console.WriteLine("transactions by type: " + string.Join(", ", byType.OrderBy(t => t.Key).Select(t => $"{t.Key} {t.Value.Count:N0} x {(double)t.Value.Bytes / t.Value.Count:F0} B")));
    Report.Extrapolate(checkpoints, patients);
    return 0;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

// One period's IoT transactions through Raft on the running node, so the Raft log holds real entries when measured.
static async Task LiveAsync(HealthBlock.Accounting.AccountingNode node, Population population, long period)
{
    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    var txs = population.SignPeriod(period, _ => now);
    foreach (var tx in txs)
    {
        var result = await node.SubmitAsync(tx);
        if (!result.Accepted)
        {
            throw new InvalidOperationException($"live submission refused: {result.Reason}: {result.Message}");
        }
    }

    foreach (var tx in txs)
    {
        await node.WaitForCommitAsync(tx.IdBytes, TimeSpan.FromSeconds(60));
    }
}
