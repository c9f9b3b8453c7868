using System.Text.Json;
using System.Text.Json.Serialization;

namespace HealthBlock.Analysis;

/// <summary>
/// A set of findings ready to embed in a diagnosis document, labelled as automated screening.
/// </summary>
/// <param name="Disclaimer">Always <see cref="AlgorithmInfo.ScreeningDisclaimer"/> when created by <see cref="Create"/>.</param>
/// <param name="LibraryVersion">Version of the analysis library that produced the findings.</param>
/// <param name="Findings">The findings, most severe first.</param>
public sealed record AnalysisReport(string Disclaimer, string LibraryVersion, IReadOnlyList<Finding> Findings)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Creates a report from findings, ordering them by severity (most severe first) then time.</summary>
    /// <param name="findings">Findings from any of the analysers.</param>
    /// <returns>The report.</returns>
    public static AnalysisReport Create(IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var ordered = findings
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Window?.StartSeconds ?? double.MinValue)
            .ToList();
        return new AnalysisReport(AlgorithmInfo.ScreeningDisclaimer, AlgorithmInfo.LibraryVersion, ordered);
    }

    /// <summary>Serialises the report as JSON (camelCase property names, enums as names).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    /// <param name="json">JSON text.</param>
    /// <returns>The report.</returns>
    /// <exception cref="JsonException">When the JSON is not a report.</exception>
    public static AnalysisReport FromJson(string json) =>
        JsonSerializer.Deserialize<AnalysisReport>(json, JsonOptions)
        ?? throw new JsonException("JSON 'null' is not an analysis report.");
}
