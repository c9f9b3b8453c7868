// FHIR export of a 24 h patient-day beside its raw ceiling, measured in the same run.
//
//   dotnet run -c Release --project bench/HealthBlock.Fhir.Bench [-- --rounds N] [--seconds S] [--dir PATH]
//
// The day: 86,400 s of 250 Hz lead-I ECG (21.6 M samples, one 250-sample frame a second, one IoT transaction a
// second as one wearable gives), a cuff reading every 20 min, a temperature every 10 s, 100 diagnoses (every 25th
// a clinician note). Exported with FhirExporter.Write to a file (the CLI's --fhir OUT.json), on all cores and on
// one. Ceiling: the same 21.6 M integers written as JSON numbers by a plain Utf8JsonWriter to a file, the least any
// JSON export of the day costs. For comparison, the naive path: FhirExporter.Build, then the Firely serializer
// over the whole Bundle in one call, on one thread. Wall and CPU seconds: on a machine shared with other work the
// wall time of the parallel run suffers first.
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HealthBlock.Fhir;

var rounds = int.Parse(ArgValue("--rounds") ?? "3", CultureInfo.InvariantCulture);
var seconds = int.Parse(ArgValue("--seconds") ?? "86400", CultureInfo.InvariantCulture);
var folder = Path.Combine(ArgValue("--dir") ?? Path.GetTempPath(), "hb-fhir-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    var generation = Stopwatch.StartNew();
    var input = Day(seconds);
    var samples = input.Readings.Sum(b => b.Ecg.Sum(e => (long)e.Microvolts.Length));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"HealthBlock.Fhir.Bench: {Environment.ProcessorCount} cores, .NET {Environment.Version}, median of {rounds} rounds (+1 warm-up)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"day: {seconds:N0} s, {samples:N0} ECG samples, {input.Readings.Count:N0} IoT transactions, {input.Readings.Sum(b => b.BloodPressure.Count)} cuff readings, {input.Readings.Sum(b => b.Temperature.Count):N0} temperatures, {input.Diagnoses.Count} diagnoses (generated in {generation.Elapsed.TotalSeconds:0.0} s)"));
    Console.WriteLine();

    var output = Path.Combine(folder, "day.json");
    var integers = Path.Combine(folder, "integers.json");
    var ceiling = Measure(rounds, () => Integers(input, integers));
    var parallel = Measure(rounds, () => Export(input, output, new FhirExportOptions()));
    var single = Measure(rounds, () => Export(input, output, new FhirExportOptions { MaxParallelism = 1 }));
    var naive = Measure(1, () => Naive(input, Path.Combine(folder, "naive.json")));
    var size = new FileInfo(output).Length;

    Console.WriteLine($"{"path",-60} {"wall s",7} {"best",6} {"CPU s",6} {"MB",6} {"x ceiling",9}");
    Row("ceiling: the ECG integers as JSON numbers, Utf8JsonWriter", ceiling, new FileInfo(integers).Length, ceiling);
    Row($"FhirExporter.Write, {Environment.ProcessorCount} threads", parallel, size, ceiling);
    Row("FhirExporter.Write, 1 thread", single, size, ceiling);
    Row("naive: Build + Firely serializer on the whole Bundle (1 run)", naive, new FileInfo(Path.Combine(folder, "naive.json")).Length, ceiling);
    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bundle: {size:N0} bytes; {Counts(output)}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target: the day in < 2 s: {(parallel.Median < 2.0 ? "met" : "NOT met")} ({parallel.Median:0.000} s wall, {Environment.ProcessorCount} threads)"));
}
finally
{
    Directory.Delete(folder, recursive: true);
}

// Only the export input stays alive: the generated frames are dropped, as the CLI drops them after decoding.
static FhirExportInput Day(int seconds) => PatientDay.Create(new PatientDayShape { Seconds = seconds }).Input;

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
    using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
    using var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    new BaseFhirJsonSerializer(ModelInfo.ModelInspector).Serialize(bundle, writer);
}

static Timing Measure(int rounds, Action action)
{
    action();
    var runs = new List<(double Wall, double Cpu)>();
    using var process = Process.GetCurrentProcess();
    for (var i = 0; i < rounds; i++)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        var wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        runs.Add((wall, (process.TotalProcessorTime - cpu).TotalSeconds));
    }

    runs.Sort();
    return new Timing(runs[runs.Count / 2].Wall, runs[0].Wall, runs[runs.Count / 2].Cpu);
}

static void Row(string name, Timing time, long bytes, Timing ceiling) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-60} {time.Median,7:0.000} {time.Best,6:0.000} {time.Cpu,6:0.00} {bytes / 1e6,6:0.0} {time.Median / ceiling.Median,9:0.0}"));

static string Counts(string path)
{
    using var document = JsonDocument.Parse(File.ReadAllBytes(path));
    return string.Join(", ", document.RootElement.GetProperty("entry").EnumerateArray()
        .GroupBy(e => e.GetProperty("resource").GetProperty("resourceType").GetString())
        .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count():N0} {g.Key}")));
}

string? ArgValue(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

/// <summary>Median and best wall seconds, and the CPU seconds of the median run.</summary>
internal sealed record Timing(double Median, double Best, double Cpu);
