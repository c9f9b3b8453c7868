using System.Text.Json.Serialization;

namespace HealthBlock.Analysis;

/// <summary>How urgently a clinician should look at a finding. Serialised by name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FindingSeverity>))]
public enum FindingSeverity
{
    /// <summary>Informational; nothing abnormal.</summary>
    Info,

    /// <summary>Mildly abnormal.</summary>
    Low,

    /// <summary>Abnormal; review.</summary>
    Moderate,

    /// <summary>Markedly abnormal; review soon.</summary>
    High,

    /// <summary>Potentially dangerous; review immediately.</summary>
    Critical,
}
