using HealthBlock.Analysis;

namespace HealthBlock.Fhir;

/// <summary>One finding of an automated screening, with the absolute time span of its evidence.</summary>
/// <param name="Kind">What it is about.</param>
/// <param name="Severity">How urgently a clinician should look at it.</param>
/// <param name="Text">The plain-language description.</param>
/// <param name="StartMs">Start of the evidence (ms since the Unix epoch), or null when not tied to a time.</param>
/// <param name="EndMs">End of the evidence (equal to the start for an instant), or null.</param>
/// <param name="Values">Named values (e.g. <c>meanHeartRateBpm</c>); the name's suffix gives the unit.</param>
/// <param name="Algorithm">The producing algorithm's name.</param>
/// <param name="AlgorithmVersion">Its version.</param>
public sealed record FindingRecord(
    FindingKind Kind,
    FindingSeverity Severity,
    string Text,
    long? StartMs,
    long? EndMs,
    IReadOnlyDictionary<string, double> Values,
    string Algorithm,
    string AlgorithmVersion)
{
    /// <summary>
    /// A finding of a diagnosis document, whose window is in seconds from the document's <c>windowStartMs</c>, with
    /// its evidence span made absolute (rounded to the millisecond).
    /// </summary>
    /// <param name="finding">The finding as the analysis library wrote it.</param>
    /// <param name="windowStartMs">The document's <c>windowStartMs</c>.</param>
    /// <returns>The finding with absolute times.</returns>
    public static FindingRecord FromAnalysis(Finding finding, long windowStartMs)
    {
        ArgumentNullException.ThrowIfNull(finding);
        long? start = finding.Window is null ? null : windowStartMs + (long)Math.Round(finding.Window.StartSeconds * 1000);
        long? end = finding.Window is null ? null : windowStartMs + (long)Math.Round(finding.Window.EndSeconds * 1000);
        return new FindingRecord(finding.Kind, finding.Severity, finding.Text, start, end, finding.Values, finding.Algorithm, finding.AlgorithmVersion);
    }
}
