using HealthBlock.Analysis;

namespace HealthBlock.Analysis.Tests;

public class TemperatureTests
{
    [Theory]
    [InlineData(int.MinValue, TemperatureCategory.Hypothermia)]
    [InlineData(3499, TemperatureCategory.Hypothermia)]
    [InlineData(3500, TemperatureCategory.Normal)]
    [InlineData(3700, TemperatureCategory.Normal)]
    [InlineData(3799, TemperatureCategory.Normal)]
    [InlineData(3800, TemperatureCategory.Fever)]
    [InlineData(int.MaxValue, TemperatureCategory.Fever)]
    public void Thresholds_are_fever_at_38_00_and_hypothermia_below_35_00(int centi, TemperatureCategory expected)
    {
        Assert.Equal(expected, TemperatureClassifier.Classify(centi));
    }

    [Theory]
    [InlineData(2499, FindingKind.ImplausibleReading, FindingSeverity.Low)]
    [InlineData(2500, FindingKind.Hypothermia, FindingSeverity.Critical)]
    [InlineData(3199, FindingKind.Hypothermia, FindingSeverity.Critical)]
    [InlineData(3200, FindingKind.Hypothermia, FindingSeverity.High)]
    [InlineData(3499, FindingKind.Hypothermia, FindingSeverity.High)]
    [InlineData(3500, FindingKind.TemperatureNormal, FindingSeverity.Info)]
    [InlineData(3799, FindingKind.TemperatureNormal, FindingSeverity.Info)]
    [InlineData(3800, FindingKind.Fever, FindingSeverity.Moderate)]
    [InlineData(3999, FindingKind.Fever, FindingSeverity.Moderate)]
    [InlineData(4000, FindingKind.Fever, FindingSeverity.High)]
    [InlineData(4500, FindingKind.Fever, FindingSeverity.High)]
    [InlineData(4501, FindingKind.ImplausibleReading, FindingSeverity.Low)]
    public void Analyze_grades_severity_and_rejects_implausible_readings(int centi, FindingKind kind, FindingSeverity severity)
    {
        var finding = TemperatureClassifier.Analyze(centi);

        Assert.Equal(kind, finding.Kind);
        Assert.Equal(severity, finding.Severity);
        Assert.Equal(centi / 100.0, finding.Values["temperatureCelsius"], 6);
        Assert.Equal(AlgorithmInfo.TemperatureName, finding.Algorithm);
        Assert.Null(finding.Window);
    }

    [Fact]
    public void Text_shows_two_decimals_in_degrees_celsius()
    {
        Assert.Contains("38.05 °C", TemperatureClassifier.Analyze(3805).Text, StringComparison.Ordinal);
    }
}
