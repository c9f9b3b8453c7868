using Hl7.Fhir.Model;

namespace HealthBlock.Fhir;

/// <summary>What one provenance says, decided once and written either as a Firely object or straight as JSON.</summary>
/// <param name="Url">Its full URL.</param>
/// <param name="Targets">Full URLs of the resources made from the transaction.</param>
/// <param name="RecordedMs">The block's time.</param>
/// <param name="AgentType">Provenance participant type code (<c>assembler</c> or <c>author</c>).</param>
/// <param name="AgentTypeDisplay">Its display.</param>
/// <param name="AgentUrl">Full URL of the agent (the Patient or the Practitioner).</param>
/// <param name="Entities">The ledger records it names.</param>
internal sealed record ProvenanceRecord(
    string Url,
    IReadOnlyList<string> Targets,
    long RecordedMs,
    string AgentType,
    string AgentTypeDisplay,
    string AgentUrl,
    IReadOnlyList<ProvenanceSource> Entities);

/// <summary>One <c>entity</c>: a ledger record named by identifier.</summary>
/// <param name="Role">How the record was used.</param>
/// <param name="System">The identifier system.</param>
/// <param name="Value">The identifier value.</param>
/// <param name="Display">What it is, for people.</param>
internal sealed record ProvenanceSource(Provenance.ProvenanceEntityRole Role, string System, string Value, string Display)
{
    /// <summary>The role's FHIR code.</summary>
    public string RoleCode => Role switch
    {
        Provenance.ProvenanceEntityRole.Source => "source",
        Provenance.ProvenanceEntityRole.Derivation => "derivation",
        Provenance.ProvenanceEntityRole.Revision => "revision",
        _ => throw new InvalidOperationException($"Provenance entity role {Role} is not used by the export."),
    };
}
