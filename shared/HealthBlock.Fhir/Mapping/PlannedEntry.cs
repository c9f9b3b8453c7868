using System.Text.Json;
using Hl7.Fhir.Model;

namespace HealthBlock.Fhir;

/// <summary>A bundle entry, built when it is written (entries are built in parallel).</summary>
/// <param name="Build">Builds the resource as a Firely object; its id is the UUID of its <c>urn:uuid:</c> full URL.</param>
/// <param name="WriteJson">
/// For the high-volume kinds (ECG chunks, provenances), writes the entry straight as JSON: the bytes the Firely
/// serializer writes for <see cref="ToEntry"/>, without the objects; null for the rest.
/// </param>
internal sealed record PlannedEntry(Func<Resource> Build, Action<Utf8JsonWriter>? WriteJson = null)
{
    public Bundle.EntryComponent ToEntry()
    {
        var resource = Build();
        return new Bundle.EntryComponent { FullUrl = "urn:uuid:" + resource.Id, Resource = resource };
    }
}
