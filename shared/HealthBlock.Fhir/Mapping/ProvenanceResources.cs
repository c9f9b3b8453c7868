using System.Globalization;
using Hl7.Fhir.Model;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Fhir;

/// <summary>
/// One <c>Provenance</c> per ledger transaction: it targets every resource made from that transaction, is recorded at
/// the block's time, names who signed the transaction as agent, and carries the transaction id and the block
/// (<c>height:hash</c>) as <c>entity.what</c> identifiers.
/// </summary>
internal static class ProvenanceResources
{
    /// <summary>An IoT batch: the patient's gateway signs IoT transactions with the patient's key, so the agent is the patient (assembler).</summary>
    public static ProvenanceRecord ForBatch(ExportContext context, LedgerOrigin origin, IReadOnlyList<string> targets) =>
        Create(context, origin, targets, "assembler", "Assembler", context.PatientUrl, []);

    /// <summary>
    /// A diagnosis: the doctor is the author; besides its own transaction and block, the IoT transactions it covers are
    /// entities it derives from, and the diagnosis a note follows is the entity it revises.
    /// </summary>
    public static ProvenanceRecord ForDiagnosis(ExportContext context, DiagnosisRecord diagnosis, IReadOnlyList<string> targets)
    {
        var entities = new List<ProvenanceSource>();
        foreach (var covered in diagnosis.Covers)
        {
            entities.Add(new(Provenance.ProvenanceEntityRole.Derivation, context.Naming.Transaction(ChainId.Userchain), covered, "Userchain IoT transaction (covered)"));
        }

        if (diagnosis.Follows is { } follows)
        {
            entities.Add(new(Provenance.ProvenanceEntityRole.Revision, context.Naming.Transaction(ChainId.Docchain), follows, "Docchain diagnosis transaction (followed)"));
        }

        return Create(context, diagnosis.Origin, targets, "author", "Author", context.DoctorUrl(diagnosis.DoctorId), entities);
    }

    /// <summary>The full URL of the provenance of a transaction.</summary>
    public static string UrlOf(LedgerOrigin origin) => ExportContext.UrlOf($"Provenance/{FhirNaming.ChainName(origin.Chain)}/{origin.TransactionId}");

    /// <summary>The provenance as a Firely object.</summary>
    public static Provenance ToResource(ProvenanceRecord record) => new()
    {
        Id = ExportContext.IdOf(record.Url),
        Target = record.Targets.Select(t => new ResourceReference(t)).ToList(),
        Recorded = FhirTime.Instant(record.RecordedMs),
        Agent =
        [
            new Provenance.AgentComponent
            {
                Type = Elements.Concept(FhirCodes.ProvenanceParticipantType, record.AgentType, record.AgentTypeDisplay),
                Who = new ResourceReference(record.AgentUrl),
            },
        ],
        Entity = record.Entities.Select(e => new Provenance.EntityComponent
        {
            Role = e.Role,
            What = new ResourceReference { Identifier = Elements.Identifier(e.System, e.Value), Display = e.Display },
        }).ToList(),
    };

    private static ProvenanceRecord Create(ExportContext context, LedgerOrigin origin, IReadOnlyList<string> targets, string agentType, string agentDisplay, string agentUrl, List<ProvenanceSource> more)
    {
        var chain = origin.Chain == ChainId.Userchain ? "Userchain" : "Docchain";
        var entities = new List<ProvenanceSource>(2 + more.Count)
        {
            new(Provenance.ProvenanceEntityRole.Source, context.Naming.Transaction(origin.Chain), origin.TransactionId, chain + " transaction"),
            new(
                Provenance.ProvenanceEntityRole.Source,
                context.Naming.Block(origin.Chain),
                FhirNaming.BlockValue(origin.BlockHeight, origin.BlockHash),
                string.Create(CultureInfo.InvariantCulture, $"{chain} block {origin.BlockHeight}")),
        };
        entities.AddRange(more);
        return new ProvenanceRecord(UrlOf(origin), targets, origin.BlockTimeMs, agentType, agentDisplay, agentUrl, entities);
    }
}
