using System.Text.Json;
using HealthBlock.Analysis;

namespace HealthBlock.Analysis.Tests;

public class FindingsJsonTests
{
    [Fact]
    public void Report_round_trips_through_System_Text_Json_with_enums_as_names()
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { HeartRateBpm = 45, DurationSeconds = 30 });
        var findings = EcgAnalyzer.Analyze(ecg.SamplesMv, ecg.SamplingFrequency).Findings
            .Append(BloodPressureClassifier.Analyze(150, 95))
            .Append(TemperatureClassifier.Analyze(3850, new TimeWindow(5, 5)));
        var report = AnalysisReport.Create(findings);

        var json = report.ToJson();
        var back = AnalysisReport.FromJson(json);

        Assert.Equal(json, back.ToJson());
        Assert.Contains("\"kind\":\"Bradycardia\"", json, StringComparison.Ordinal);
        Assert.Contains("\"severity\":\"High\"", json, StringComparison.Ordinal);
        Assert.Contains("\"automatedScreening\":true", json, StringComparison.Ordinal);
        Assert.Contains("not a diagnosis", back.Disclaimer, StringComparison.Ordinal);
        Assert.Equal(AlgorithmInfo.LibraryVersion, back.LibraryVersion);
        Assert.Equal(report.Findings.Select(f => f.Kind), back.Findings.Select(f => f.Kind));
    }

    [Fact]
    public void Default_serializer_options_work_too()
    {
        var finding = TemperatureClassifier.Analyze(3650);

        var json = JsonSerializer.Serialize(finding);
        var back = JsonSerializer.Deserialize<Finding>(json)!;

        Assert.Contains("\"Kind\":\"TemperatureNormal\"", json, StringComparison.Ordinal);
        Assert.Equal(finding.Kind, back.Kind);
        Assert.Equal(finding.Values["temperatureCelsius"], back.Values["temperatureCelsius"]);
        Assert.Equal(finding.Text, back.Text);
    }

    [Fact]
    public void Report_orders_findings_by_severity_then_time()
    {
        var report = AnalysisReport.Create(
        [
            TemperatureClassifier.Analyze(3650, new TimeWindow(1, 1)),
            BloodPressureClassifier.Analyze(200, 100, new TimeWindow(9, 9)),
            TemperatureClassifier.Analyze(3850, new TimeWindow(8, 8)),
            BloodPressureClassifier.Analyze(145, 80, new TimeWindow(3, 3)),
        ]);

        Assert.Equal(
            [FindingSeverity.Critical, FindingSeverity.High, FindingSeverity.Moderate, FindingSeverity.Info],
            report.Findings.Select(f => f.Severity));
    }

    [Fact]
    public void Finding_values_are_always_finite()
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 3 });

        var result = EcgAnalyzer.Analyze(ecg.SamplesMv, ecg.SamplingFrequency);

        Assert.All(result.Findings.SelectMany(f => f.Values.Values), v => Assert.True(double.IsFinite(v)));
        Assert.NotNull(AnalysisReport.Create(result.Findings).ToJson());
    }
}
