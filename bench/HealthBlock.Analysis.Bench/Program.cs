// Benchmarks of the ECG analysis.
//
//   dotnet run -c Release --project bench/HealthBlock.Analysis.Bench [-- --iterations N] [-- --synthetic]
//       One hour of 250 Hz ECG through the batch paths (QRS detection, full analysis) and through the streaming
//       analyser in one-second frames, in the same run: milliseconds and multiples of real time.
//   dotnet run -c Release --project bench/HealthBlock.Analysis.Bench -- --accuracy
//       The noise stress table (record 100 + generated noise, nst protocol) and the synthetic hard-rhythm table of
//       data/ecg-stress/manifest.json, for HealthBlock's analyser beside the textbook baseline detector, as markdown.
//       Subsets while iterating: --only em,wearable,lbbb (noise or rhythm names) --snr 12,6 (hard rhythms: "clean" is
//       kept only when --snr is absent).
//   dotnet run -c Release --project bench/HealthBlock.Analysis.Bench -- --explain [--only NAMES] [--snr LIST]
//       Every false beat, missed beat and wrong V label of the analyser on those conditions, with its time.
using System.Globalization;
using HealthBlock.Analysis.Bench;

var iterations = 5;
var synthetic = false;
var accuracy = false;
var explain = false;
ISet<string>? only = null;
ISet<double>? snrs = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--iterations" when i + 1 < args.Length:
            iterations = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture));
            break;
        case "--synthetic":
            synthetic = true;
            break;
        case "--accuracy":
            accuracy = true;
            break;
        case "--explain":
            explain = true;
            break;
        case "--only" when i + 1 < args.Length:
            only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            break;
        case "--snr" when i + 1 < args.Length:
            snrs = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToHashSet();
            break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}' (use --iterations N, --synthetic, --accuracy|--explain [--only NAMES] [--snr LIST])");
            return 2;
    }
}

if (explain)
{
    AccuracyExplain.Print(Console.Out, only, snrs);
}
else if (accuracy)
{
    AccuracyTables.Print(Console.Out, only, snrs);
}
else
{
    ThroughputBench.Run(iterations, synthetic);
}

return 0;
