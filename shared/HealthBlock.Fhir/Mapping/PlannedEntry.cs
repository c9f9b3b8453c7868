using Hl7.Fhir.Model;

namespace HealthBlock.Fhir;

/// <summary>A bundle entry whose full URL is fixed and whose resource is built when it is written.</summary>
/// <param name="Url">The entry's <c>urn:uuid:</c> full URL.</param>
/// <param name="Build">Builds the resource (ECG chunks format their samples here, so entries can be built in parallel).</param>
internal sealed record PlannedEntry(string Url, Func<Resource> Build)
{
    public Bundle.EntryComponent ToEntry() => new() { FullUrl = Url, Resource = Build() };
}
