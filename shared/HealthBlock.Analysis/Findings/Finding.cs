using System.Text.Json.Serialization;

namespace HealthBlock.Analysis;

/// <summary>
/// One automated screening finding, for review by a clinician. Findings are not diagnoses; each carries
/// the name and version of the algorithm that produced it so that a diagnosis document stays traceable.
/// Serialisable with System.Text.Json (enums as names).
/// </summary>
/// <param name="Kind">What the finding is about.</param>
/// <param name="Severity">How urgently it should be reviewed.</param>
/// <param name="Text">Plain-language description, including the numbers that triggered it.</param>
/// <param name="Window">When it occurred, or null when not tied to a time (e.g. a single reading without time).</param>
/// <param name="Values">Named numeric values (always finite), e.g. <c>minHeartRateBpm</c>.</param>
/// <param name="Algorithm">Name of the producing algorithm (see <see cref="AlgorithmInfo"/>).</param>
/// <param name="AlgorithmVersion">Version of the producing algorithm.</param>
public sealed record Finding(
    FindingKind Kind,
    FindingSeverity Severity,
    string Text,
    TimeWindow? Window,
    IReadOnlyDictionary<string, double> Values,
    string Algorithm,
    string AlgorithmVersion)
{
    /// <summary>Always true: this is the output of automated screening, to be confirmed by a clinician.</summary>
    public bool AutomatedScreening => true;
}

/// <summary>Builds the <see cref="Finding.Values"/> dictionary, dropping non-finite numbers (JSON cannot hold them).</summary>
internal sealed class FindingValues
{
    private readonly SortedDictionary<string, double> _values = new(StringComparer.Ordinal);

    public FindingValues Add(string name, double value)
    {
        if (double.IsFinite(value))
        {
            _values[name] = Math.Round(value, 4);
        }

        return this;
    }

    public IReadOnlyDictionary<string, double> Build() => new Dictionary<string, double>(_values, StringComparer.Ordinal);
}
