// FHIR export of a 24 h patient-day beside its raw ceiling, measured in the same run.
//
//   dotnet run -c Release --project bench/HealthBlock.Fhir.Bench [-- --rounds N] [--seconds S] [--dir PATH]
//
// The day: 86,400 s of 250 Hz lead-I ECG (21.6 M samples, one 250-sample frame a second, one IoT transaction a
// second as one wearable gives), a cuff reading every 20 min, a temperature every 10 s, 100 diagnoses (every 25th
// a clinician note). Exported with FhirExporter.Write to a file (the CLI's --fhir OUT.json), parallel on all cores
// and on one. Ceiling: the same 21.6 M integers written as JSON numbers by a plain Utf8JsonWriter to a file: the
// least any JSON export of the day costs. For comparison, the naive path: FhirExporter.Build, then the Firely
// serializer over the whole Bundle in one call, on one thread.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HealthBlock.Fhir;

if (args.Contains("--profile")) { ProfileRun.Run(PatientDay.Create(new PatientDayShape()).Input); return; }
var rounds = int.Parse(ArgValue("--rounds") ?? "3", CultureInfo.InvariantCulture);
var seconds = int.Parse(ArgValue("--seconds") ?? "86400", CultureInfo.InvariantCulture);
var folder = Path.Combine(ArgValue("--dir") ?? Path.GetTempPath(), "hb-fhir-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    var generation = Stopwatch.StartNew();
    var day = PatientDay.Create(new PatientDayShape { Seconds = seconds });
    var input = day.Input;
    var samples = input.Readings.Sum(b => b.Ecg.Sum(e => (long)e.Microvolts.Length));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"HealthBlock.Fhir.Bench: {Environment.ProcessorCount} cores, .NET {Environment.Version}, median of {rounds} rounds (+1 warm-up)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"day: {seconds:N0} s, {samples:N0} ECG samples, {input.Readings.Count:N0} IoT transactions, {input.Readings.Sum(b => b.BloodPressure.Count)} cuff readings, {input.Readings.Sum(b => b.Temperature.Count):N0} temperatures, {input.Diagnoses.Count} diagnoses (generated in {generation.Elapsed.TotalSeconds:0.0} s)"));
    Console.WriteLine();

    var output = Path.Combine(folder, "day.json");
    var parallel = Measure(rounds, () => Export(input, output, new FhirExportOptions()));
    var size = new FileInfo(output).Length;
    var single = Measure(rounds, () => Export(input, output, new FhirExportOptions { MaxParallelism = 1 }));
    var ceiling = Measure(rounds, () => Integers(input, Path.Combine(folder, "integers.json")));
    var ceilingSize = new FileInfo(Path.Combine(folder, "integers.json")).Length;
    var naive = Measure(1, () => Naive(input, Path.Combine(folder, "naive.json")));
    var entries = new ParsedCounts(output);

    Console.WriteLine($"{"path",-58} {"median s",9} {"best s",8} {"MB",8} {"x ceiling",10}");
    Row("ceiling: 21.6 M integers as JSON numbers, Utf8JsonWriter", ceiling, ceilingSize, ceiling.Median);
    Row($"FhirExporter.Write, {Environment.ProcessorCount} threads", parallel, size, ceiling.Median);
    Row("FhirExporter.Write, 1 thread", single, size, ceiling.Median);
    Row("naive: Build + Firely serializer on the whole Bundle, 1 run", naive, size, ceiling.Median);
    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bundle: {size:N0} bytes, {entries}"));
    Console.WriteLine(parallel.Median < 2.0 ? "target (< 2 s for the day): met" : "target (< 2 s for the day): NOT met");
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static void Export(FhirExportInput input, string path, FhirExportOptions options)
{
    using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
    FhirExporter.Write(input, file, options);
}

static void Integers(FhirExportInput input, string path)
{
    using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
    using var writer = new Utf8JsonWriter(file);
    writer.WriteStartArray();
    foreach (var batch in input.Readings)
    {
        foreach (var segment in batch.Ecg)
        {
            foreach (var sample in segment.Microvolts.Span)
            {
                writer.WriteNumberValue(sample);
            }
        }
    }

    writer.WriteEndArray();
}

static void Naive(FhirExportInput input, string path)
{
    var bundle = FhirExporter.Build(input, new FhirExportOptions { MaxParallelism = 1 });
    File.WriteAllBytes(path, new BaseFhirJsonSerializer(ModelInfo.ModelInspector).SerializeToBytes(bundle));
}

static (double Median, double Best) Measure(int rounds, Action action)
{
    action();
    var times = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var watch = Stopwatch.StartNew();
        action();
        times.Add(watch.Elapsed.TotalSeconds);
    }

    times.Sort();
    return (times[times.Count / 2], times[0]);
}

static void Row(string name, (double Median, double Best) time, long bytes, double ceiling) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-58} {time.Median,9:0.000} {time.Best,8:0.000} {bytes / 1e6,8:0.0} {time.Median / ceiling,10:0.0}"));

string? ArgValue(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

/// <summary>Resource counts of the written bundle, by type.</summary>
internal sealed class ParsedCounts(string path)
{
    public override string ToString()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var counts = document.RootElement.GetProperty("entry").EnumerateArray()
            .GroupBy(e => e.GetProperty("resource").GetProperty("resourceType").GetString())
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count():N0} {g.Key}"));
        return string.Join(", ", counts);
    }
}
