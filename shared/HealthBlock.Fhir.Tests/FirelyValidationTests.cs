using Hl7.Fhir.Model;
using Xunit.Abstractions;

namespace HealthBlock.Fhir.Tests;

/// <summary>Exported bundles against Firely's validator and the R4 core profiles (including the vital-signs profiles they claim).</summary>
public sealed class FirelyValidationTests(FirelyValidatorFixture validator, ITestOutputHelper output) : IClassFixture<FirelyValidatorFixture>
{
    private static IEnumerable<OperationOutcome.IssueComponent> Errors(OperationOutcome outcome) =>
        outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal);

    private static string Describe(OperationOutcome.IssueComponent issue) =>
        $"{issue.Severity} {issue.Code} at {string.Join(",", issue.Expression)}: {issue.Details?.Text ?? issue.Diagnostics}";

    [Fact]
    public void An_exported_recording_with_every_kind_of_record_validates_without_errors()
    {
        var day = PatientDay.Create(new PatientDayShape
        {
            Seconds = 130, SecondsPerBatch = 10, BloodPressureEverySeconds = 60, TemperatureEverySeconds = 30, Diagnoses = 4, NoteEvery = 2,
            LeadOffEverySeconds = 100, DisplayName = "Ada Example",
        });
        var bundle = new ParsedBundle(FhirExporter.ToUtf8Json(day.Input)).Bundle;

        var outcome = validator.Validate(bundle);

        output.WriteLine($"{bundle.Entry.Count} entries; issues: {string.Join(", ", outcome.Issue.GroupBy(i => i.Severity).Select(g => $"{g.Count()} {g.Key}"))}");
        foreach (var issue in outcome.Issue)
        {
            output.WriteLine(Describe(issue));
        }

        Assert.Empty(Errors(outcome).Select(Describe));
    }

    [Fact]
    public void An_observation_without_status_is_reported()
    {
        var observation = Exported<Observation>(o => o.Code!.Coding[0].Code == FhirCodes.BodyTemperature);
        Assert.Empty(Errors(validator.Validate(observation)));
        observation.Status = null;

        AssertReported(validator.Validate(observation), "status");
    }

    [Fact]
    public void A_blood_pressure_panel_whose_LOINC_code_has_the_wrong_system_is_reported()
    {
        var observation = Exported<Observation>(o => o.Code!.Coding[0].Code == FhirCodes.BloodPressurePanel);
        Assert.Empty(Errors(validator.Validate(observation)));
        observation.Code!.Coding[0].System = "http://loinc.com";

        AssertReported(validator.Validate(observation), "BPCode");
    }

    [Fact]
    public void Sampled_data_without_a_period_is_reported()
    {
        var observation = Exported<Observation>(o => o.Value is SampledData);
        Assert.Empty(Errors(validator.Validate(observation)));
        ((SampledData)observation.Value!).Period = null;

        AssertReported(validator.Validate(observation), "period");
    }

    [Fact]
    public void A_provenance_without_a_target_is_reported()
    {
        var provenance = Exported<Provenance>(_ => true);
        Assert.Empty(Errors(validator.Validate(provenance)));
        provenance.Target.Clear();

        AssertReported(validator.Validate(provenance), "target");
    }

    private static T Exported<T>(Func<T, bool> match)
        where T : Resource
    {
        var day = PatientDay.Create(new PatientDayShape { Seconds = 30, SecondsPerBatch = 10, BloodPressureEverySeconds = 20, TemperatureEverySeconds = 10, Diagnoses = 0 });
        return new ParsedBundle(FhirExporter.ToUtf8Json(day.Input)).All<T>().First(match);
    }

    private void AssertReported(OperationOutcome outcome, string mention)
    {
        var errors = Errors(outcome).Select(Describe).ToList();
        errors.ForEach(output.WriteLine);
        Assert.Contains(errors, e => e.Contains(mention, StringComparison.Ordinal));
    }
}
