// Fault runs (issue 9). Leader failover:  dotnet run -c Release --project bench/HealthBlock.Fault.Bench -- [--rounds 10]
using System.Globalization;
using HealthBlock.Faults;

var rounds = args.Length > 1 && args[0] == "--rounds" && int.TryParse(args[1], CultureInfo.InvariantCulture, out var r) ? r : 10;
var root = Path.Combine(Path.GetTempPath(), "hb-fault-" + Guid.NewGuid().ToString("N"));
try
{
    var report = await LeaderFailover.RunAsync(rounds, root, Console.WriteLine);
    var times = report.NewLeaderMs.Order().ToArray();
    Console.WriteLine($"leader killed {report.Rounds} times under load: {report.Committed} transactions confirmed committed, {report.Lost} lost, {report.Resubmitted} resubmissions, same state hash on all replicas: {report.SameStateHash}");
    Console.WriteLine($"time to a new leader: median {times[times.Length / 2]:F0} ms, max {times[^1]:F0} ms");
    return report.Lost == 0 && report.SameStateHash ? 0 : 1;
}
finally
{
    try
    {
        Directory.Delete(root, recursive: true);
    }
    catch (IOException)
    {
    }
}
