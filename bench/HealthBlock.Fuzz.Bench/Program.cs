using System.Diagnostics;
using System.Globalization;
using HealthBlock.Fuzz;

// Fuzzes every HealthBlock decoder with random bytes and mutations of valid encodings (bit flips, byte replacements,
// insertions, deletions, truncations, splices, CBOR/JSON/DER structure-aware mutations). Any exception other than
// the decoder's documented error type, a canonical-format round-trip violation, an input over the time budget or over
// the allocation budget is a crash: its input is printed (hex) and the exit code is 1. Crashes of known, reported
// issues (bench/HealthBlock.Fuzzing/KnownIssues.cs) are listed as such and still fail the run unless --allow-known is given;
// --skip-known does not run the inputs that trigger a known hang.
//
// Usage: dotnet run -c Release --project bench/HealthBlock.Fuzz.Bench -- [--inputs N] [--seed S] [--target NAME[,NAME…]]
//        [--time-budget-ms MS] [--alloc-budget-mb MB] [--crash-dir DIR] [--trace FILE] [--replay HEX] [--list]
//        [--allow-known] [--skip-known]
// --inputs is the total across the selected decoders (default 1,000,000), split evenly.
var inputs = 1_000_000L;
var seed = 1;
string[]? only = null;
var options = new FuzzOptions();
string? crashDir = null;
string? replay = null;
var list = false;
var allowKnown = false;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--inputs":
            inputs = long.Parse(Value().Replace("_", string.Empty, StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
            break;
        case "--seed":
            seed = int.Parse(Value(), CultureInfo.InvariantCulture);
            break;
        case "--target":
            only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            break;
        case "--time-budget-ms":
            options = options with { TimeBudget = TimeSpan.FromMilliseconds(double.Parse(Value(), CultureInfo.InvariantCulture)) };
            break;
        case "--alloc-budget-mb":
            options = options with { AllocationBudget = long.Parse(Value(), CultureInfo.InvariantCulture) * 1024 * 1024 };
            break;
        case "--crash-dir":
            crashDir = Value();
            break;
        case "--trace":
            options = options with { TraceFile = Value() };
            break;
        case "--replay":
            replay = Value();
            break;
        case "--list":
            list = true;
            break;
        case "--allow-known":
            allowKnown = true;
            break;
        case "--skip-known":
            options = options with { SkipKnownIssueInputs = true };
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}

using var targets = new HealthBlockTargets();
if (list)
{
    foreach (var t in targets.All)
    {
        Console.WriteLine($"{t.Name,-30} {t.Decoder}  (allowed: {string.Join(", ", t.Expected.Select(e => e.Name))}; {t.Seeds.Count} seeds)");
    }

    return 0;
}

var selected = targets.All.Where(t => only is null || only.Contains(t.Name)).ToList();
if (selected.Count == 0)
{
    Console.Error.WriteLine("no target selected (see --list)");
    return 2;
}

if (replay is not null)
{
    return FuzzReplay.Run(selected, Convert.FromHexString(replay), options, Console.Out);
}

var runner = new FuzzRunner(options);

var perTarget = Math.Max(1, inputs / selected.Count);
Console.WriteLine($"HealthBlock decoder fuzzing: {perTarget * selected.Count:N0} inputs ({perTarget:N0} per decoder, {selected.Count} decoders), seed {seed}, time budget {options.TimeBudget.TotalMilliseconds:N0} ms/input, allocation budget {options.AllocationBudget / (1024 * 1024)} MiB/input, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine($"{"decoder",-30} {"inputs",10} {"accepted",9} {"rejected",10} {"crashes",8} {"known",6} {"inputs/s",10} {"seconds",8}");

var results = new List<FuzzResult>();
var total = Stopwatch.StartNew();
foreach (var target in selected)
{
    var result = runner.Run(target, perTarget, seed);
    results.Add(result);
    Console.WriteLine($"{target.Name,-30} {result.Inputs,10:N0} {result.Accepted,9:N0} {result.Rejected,10:N0} {result.CrashCount,8:N0} {result.KnownCrashCount,6:N0} {result.InputsPerSecond,10:N0} {result.Elapsed.TotalSeconds,8:N1}");
    if (result.Skipped > 0)
    {
        Console.WriteLine($"  {result.Skipped:N0} inputs of known issues not run (--skip-known)");
    }

    if (result.Hung)
    {
        Console.WriteLine($"  {target.Name} hung: stopped after {result.Inputs:N0} inputs; its thread cannot be stopped and keeps one core busy until the end of this run.");
    }
}

total.Stop();
var all = results.Sum(r => r.Inputs);
var crashes = results.Sum(r => r.CrashCount);
var known = results.Sum(r => r.KnownCrashCount);
Console.WriteLine($"{"total",-30} {all,10:N0} {results.Sum(r => r.Accepted),9:N0} {results.Sum(r => r.Rejected),10:N0} {crashes,8:N0} {known,6:N0} {all / total.Elapsed.TotalSeconds,10:N0} {total.Elapsed.TotalSeconds,8:N1}");

foreach (var crash in results.SelectMany(r => r.Crashes))
{
    Console.WriteLine();
    Console.WriteLine(crash.Describe());
}

if (crashDir is not null && crashes > 0)
{
    Directory.CreateDirectory(crashDir);
    var n = 0;
    foreach (var crash in results.SelectMany(r => r.Crashes))
    {
        File.WriteAllText(Path.Combine(crashDir, $"{crash.Target}-{++n}-{crash.Kind}.hex"), crash.InputHex + "\n");
        File.WriteAllText(Path.Combine(crashDir, $"{crash.Target}-{n}-{crash.Kind}.txt"), crash.Describe());
    }

    Console.WriteLine($"crash inputs written to {crashDir}");
}

foreach (var issue in results.SelectMany(r => r.Crashes).Where(c => c.KnownIssueId is not null).Select(c => c.KnownIssueId).Distinct())
{
    var description = selected.SelectMany(t => t.KnownIssues).First(k => k.Id == issue);
    Console.WriteLine($"known issue {issue}: {description.Summary}");
}

Console.WriteLine(crashes == 0
    ? "no crashes"
    : $"{crashes} crashing inputs ({results.Sum(r => r.Crashes.Count)} distinct): {crashes - known} new, {known} of known issues");
return crashes - known > 0 || (known > 0 && !allowKnown) ? 1 : 0;
