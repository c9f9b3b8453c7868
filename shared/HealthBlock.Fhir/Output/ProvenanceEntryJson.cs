using System.Text.Json;

namespace HealthBlock.Fhir;

/// <summary>
/// Writes a provenance entry straight as JSON, the same bytes the Firely serializer gives for
/// <see cref="ProvenanceResources.ToResource"/>: a day has one per second (one per IoT transaction), and going through
/// Firely objects for each was most of the export's time.
/// </summary>
internal static class ProvenanceEntryJson
{
    private static readonly JsonEncodedText Target = JsonEncodedText.Encode("target");
    private static readonly JsonEncodedText Recorded = JsonEncodedText.Encode("recorded");
    private static readonly JsonEncodedText Agent = JsonEncodedText.Encode("agent");
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText Who = JsonEncodedText.Encode("who");
    private static readonly JsonEncodedText Entity = JsonEncodedText.Encode("entity");
    private static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");
    private static readonly JsonEncodedText What = JsonEncodedText.Encode("what");
    private static readonly JsonEncodedText Identifier = JsonEncodedText.Encode("identifier");

    public static void Write(Utf8JsonWriter writer, ProvenanceRecord record)
    {
        EntryJson.StartEntry(writer, record.Url, "Provenance");
        writer.WriteStartArray(Target);
        foreach (var target in record.Targets)
        {
            EntryJson.ReferenceValue(writer, target);
        }

        writer.WriteEndArray();
        writer.WriteString(Recorded, FhirTime.Instant(record.RecordedMs));
        writer.WriteStartArray(Agent);
        writer.WriteStartObject();
        writer.WritePropertyName(Type);
        EntryJson.ConceptValue(writer, FhirCodes.ProvenanceParticipantType, record.AgentType, record.AgentTypeDisplay);
        EntryJson.Reference(writer, Who, record.AgentUrl);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartArray(Entity);
        foreach (var entity in record.Entities)
        {
            writer.WriteStartObject();
            writer.WriteString(Role, entity.RoleCode);
            writer.WriteStartObject(What);
            writer.WriteStartObject(Identifier);
            writer.WriteString(EntryJson.System, entity.System);
            writer.WriteString(EntryJson.Value, entity.Value);
            writer.WriteEndObject();
            writer.WriteString(EntryJson.Display, entity.Display);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        EntryJson.EndEntry(writer);
    }
}
