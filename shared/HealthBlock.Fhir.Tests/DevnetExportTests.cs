using HealthBlock.Devnet;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace HealthBlock.Fhir.Tests;

/// <summary>
/// A short devnet's patients, exported as the patient export does (decrypted with each patient's own keys), validate
/// with Firely against the R4 core profiles and read back with the readings and diagnoses the run produced.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DevnetExportTests(FirelyValidatorFixture validator, ITestOutputHelper output) : IClassFixture<FirelyValidatorFixture>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async System.Threading.Tasks.Task A_devnet_runs_patients_export_validate_without_errors_and_read_back_what_the_run_committed()
    {
        using var log = new StringWriter();
        var options = new DevnetOptions { Wearables = 2, Doctors = 2, Patients = 2, Seconds = 8, BatchWindow = TimeSpan.FromMilliseconds(200), FhirFolder = _folder.Sub("fhir") };

        var report = await new DevnetRunner(options, new PlainView(log), NullLoggerFactory.Instance).RunAsync(CancellationToken.None);

        Assert.True(report.Ok, log.ToString());
        Assert.Empty(report.FhirSkipped);
        Assert.Equal(2, report.FhirBundles.Count);
        var iotTransactions = new HashSet<string>(StringComparer.Ordinal);
        var reports = 0;
        foreach (var file in report.FhirBundles)
        {
            var parsed = new ParsedBundle(await File.ReadAllBytesAsync(file));
            var outcome = validator.Validate(parsed.Bundle);
            var errors = outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).ToList();
            output.WriteLine($"{Path.GetFileName(file)}: {parsed.Bundle.Entry.Count} entries, {errors.Count} errors");
            Assert.Empty(errors.Select(e => $"{e.Code} at {string.Join(",", e.Expression)}: {e.Details?.Text ?? e.Diagnostics}"));

            var patient = Assert.Single(parsed.All<Patient>());
            Assert.Empty(patient.Name);
            var ecg = parsed.All<Observation>().Where(o => o.Value is SampledData).ToList();
            Assert.NotEmpty(ecg);
            Assert.All(ecg, o => Assert.Equal(4m, ((SampledData)o.Value!).Period));
            Assert.NotEmpty(parsed.WithCode("http://loinc.org", FhirCodes.BodyTemperature));
            iotTransactions.UnionWith(parsed.All<Provenance>().SelectMany(p => p.Entity)
                .Where(e => e.What?.Identifier?.System == parsed.Naming.Transaction(Protocol.Ledger.ChainId.Userchain))
                .Select(e => e.What!.Identifier!.Value!));
            reports += parsed.All<DiagnosticReport>().Count();
        }

        // Every committed IoT transaction and every diagnosis of the run is in exactly one patient's bundle.
        Assert.Equal(report.IotTxs, iotTransactions.Count);
        Assert.Equal(report.Diagnoses, reports);
    }
}
