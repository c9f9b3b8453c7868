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
    public static Provenance ForBatch(ExportContext context, LedgerOrigin origin, IReadOnlyList<string> targets) =>
        Create(context, origin, targets, Agent("assembler", "Assembler", context.Patient()), []);

    /// <summary>
    /// A diagnosis: the doctor is the author; besides its own transaction and block, the IoT transactions it covers are
    /// entities it derives from, and the diagnosis a note follows is the entity it revises.
    /// </summary>
    public static Provenance ForDiagnosis(ExportContext context, DiagnosisRecord diagnosis, IReadOnlyList<string> targets)
    {
        var entities = new List<Provenance.EntityComponent>();
        foreach (var covered in diagnosis.Covers)
        {
            entities.Add(Entity(Provenance.ProvenanceEntityRole.Derivation, context.Naming.Transaction(ChainId.Userchain), covered, "Userchain IoT transaction (covered)"));
        }

        if (diagnosis.Follows is { } follows)
        {
            entities.Add(Entity(Provenance.ProvenanceEntityRole.Revision, context.Naming.Transaction(ChainId.Docchain), follows, "Docchain diagnosis transaction (followed)"));
        }

        return Create(context, diagnosis.Origin, targets, Agent("author", "Author", context.Doctor(diagnosis.DoctorId)), entities);
    }

    /// <summary>The full URL of the provenance of a transaction.</summary>
    public static string UrlOf(LedgerOrigin origin) => ExportContext.UrlOf($"Provenance/{FhirNaming.ChainName(origin.Chain)}/{origin.TransactionId}");

    private static Provenance Create(ExportContext context, LedgerOrigin origin, IReadOnlyList<string> targets, Provenance.AgentComponent agent, List<Provenance.EntityComponent> more)
    {
        var chain = origin.Chain == ChainId.Userchain ? "Userchain" : "Docchain";
        var entities = new List<Provenance.EntityComponent>(2 + more.Count)
        {
            Entity(Provenance.ProvenanceEntityRole.Source, context.Naming.Transaction(origin.Chain), origin.TransactionId, chain + " transaction"),
            Entity(
                Provenance.ProvenanceEntityRole.Source,
                context.Naming.Block(origin.Chain),
                FhirNaming.BlockValue(origin.BlockHeight, origin.BlockHash),
                string.Create(CultureInfo.InvariantCulture, $"{chain} block {origin.BlockHeight}")),
        };
        entities.AddRange(more);
        return new Provenance
        {
            Id = ExportContext.IdOf(UrlOf(origin)),
            Target = targets.Select(t => new ResourceReference(t)).ToList(),
            Recorded = FhirTime.Instant(origin.BlockTimeMs),
            Agent = [agent],
            Entity = entities,
        };
    }

    private static Provenance.AgentComponent Agent(string code, string display, ResourceReference who) => new()
    {
        Type = Elements.Concept(FhirCodes.ProvenanceParticipantType, code, display),
        Who = who,
    };

    private static Provenance.EntityComponent Entity(Provenance.ProvenanceEntityRole role, string system, string value, string display) => new()
    {
        Role = role,
        What = new ResourceReference { Identifier = Elements.Identifier(system, value), Display = display },
    };
}
