using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HealthBlock.Fhir.Tests;

/// <summary>A test that needs FHIR.js installed (<c>npm ci</c> in <c>interop/fhir</c>, as <c>.ci/services.sh</c> does); reported as skipped, with the reason, without it.</summary>
public sealed class FhirJsFactAttribute : FactAttribute
{
    public const string Variable = "HEALTHBLOCK_FHIR_JS";

    public FhirJsFactAttribute()
    {
        var folder = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(folder))
        {
            Skip = $"{Variable} is not set: run npm ci in interop/fhir (as .ci/services.sh does) and set {Variable} to that folder";
        }
        else if (!Directory.Exists(Path.Combine(folder, "node_modules", "fhir")))
        {
            Skip = $"{Variable}={folder} has no node_modules/fhir: run npm ci there";
        }
    }
}

/// <summary>The same bundles through a second, independent validator: the fhir npm package (FHIR.js) with R4 definitions.</summary>
public sealed partial class FhirJsValidatorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [FhirJsFact]
    public void FHIR_js_accepts_the_exported_bundles_with_no_error_and_only_unverifiable_code_warnings()
    {
        var recording = Write("recording.json", FhirExporter.ToUtf8Json(PatientDay.Create(new PatientDayShape
        {
            Seconds = 130, SecondsPerBatch = 10, BloodPressureEverySeconds = 60, TemperatureEverySeconds = 30, Diagnoses = 4, NoteEvery = 2, LeadOffEverySeconds = 100,
        }).Input));
        var unusual = Write("unusual.json", FhirExporter.ToUtf8Json(Inputs.Unusual()));

        var (exit, output) = Validate(recording, unusual);

        Assert.True(exit == 0, output);
        foreach (var file in new[] { recording, unusual })
        {
            var summary = SummaryLine().Match(output.Split('\n').Single(l => l.StartsWith(file + ":", StringComparison.Ordinal)));
            Assert.True(summary.Success, output);
            Assert.Equal("valid", summary.Groups["verdict"].Value);
            Assert.Equal("0", summary.Groups["errors"].Value);
            Assert.Equal(summary.Groups["warnings"].Value, summary.Groups["unverifiable"].Value);
        }
    }

    [FhirJsFact]
    public void FHIR_js_reports_a_bundle_with_a_missing_status_and_an_unknown_property()
    {
        var json = JsonNode.Parse(FhirExporter.ToUtf8Json(Inputs.Unusual()))!;
        var resources = json["entry"]!.AsArray().Select(e => e!["resource"]!).ToList();
        resources.First(r => (string?)r["resourceType"] == "Observation").AsObject().Remove("status");
        resources.First(r => (string?)r["resourceType"] == "Provenance")["recordedAt"] = "2026-12-01T00:00:00Z";
        var broken = Write("broken.json", System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));

        var (exit, output) = Validate(broken);

        Assert.Equal(1, exit);
        Assert.Contains("INVALID", output, StringComparison.Ordinal);
        Assert.Contains("Observation.status", output, StringComparison.Ordinal);
        Assert.Contains("Provenance.recordedAt", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@": (?<verdict>valid|INVALID), \d+ entries, (?<errors>\d+) errors, (?<warnings>\d+) warnings \((?<unverifiable>\d+) unverifiable\)")]
    private static partial Regex SummaryLine();

    private string Write(string name, byte[] json)
    {
        var path = _folder.Sub(name);
        File.WriteAllBytes(path, json);
        return path;
    }

    private static (int Exit, string Output) Validate(params string[] files)
    {
        var folder = Environment.GetEnvironmentVariable(FhirJsFactAttribute.Variable)!;
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(folder, "validate.js"));
        files.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("node validate.js did not finish in 2 minutes");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
