using System.Text.Json;

namespace HealthBlock.Fhir;

/// <summary>
/// The JSON pieces the direct writers share, in the Firely serializer's element order and formatting (checked byte
/// for byte against it by the tests): references, codings, periods and instants.
/// </summary>
internal static class EntryJson
{
    public static readonly JsonEncodedText FullUrl = JsonEncodedText.Encode("fullUrl");
    public static readonly JsonEncodedText Resource = JsonEncodedText.Encode("resource");
    public static readonly JsonEncodedText ResourceType = JsonEncodedText.Encode("resourceType");
    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    public static readonly JsonEncodedText ReferenceName = JsonEncodedText.Encode("reference");
    public static readonly JsonEncodedText Coding = JsonEncodedText.Encode("coding");
    public static readonly JsonEncodedText System = JsonEncodedText.Encode("system");
    public static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
    public static readonly JsonEncodedText Display = JsonEncodedText.Encode("display");
    public static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
    public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");

    /// <summary>Starts an entry: <c>{"fullUrl":…,"resource":{"resourceType":…,"id":…</c> (the id is the UUID of the URL).</summary>
    public static void StartEntry(Utf8JsonWriter writer, string url, string resourceType)
    {
        writer.WriteStartObject();
        writer.WriteString(FullUrl, url);
        writer.WritePropertyName(Resource);
        writer.WriteStartObject();
        writer.WriteString(ResourceType, resourceType);
        writer.WriteString(Id, ExportContext.IdOf(url));
    }

    /// <summary>Closes the resource and the entry.</summary>
    public static void EndEntry(Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary><c>"name":{"reference":url}</c>.</summary>
    public static void Reference(Utf8JsonWriter writer, JsonEncodedText name, string url)
    {
        writer.WritePropertyName(name);
        ReferenceValue(writer, url);
    }

    /// <summary><c>{"reference":url}</c>.</summary>
    public static void ReferenceValue(Utf8JsonWriter writer, string url)
    {
        writer.WriteStartObject();
        writer.WriteString(ReferenceName, url);
        writer.WriteEndObject();
    }

    /// <summary><c>{"system":…,"code":…,"display":…}</c>.</summary>
    public static void CodingValue(Utf8JsonWriter writer, string system, string code, string display)
    {
        writer.WriteStartObject();
        writer.WriteString(System, system);
        writer.WriteString(Code, code);
        writer.WriteString(Display, display);
        writer.WriteEndObject();
    }

    /// <summary>A CodeableConcept of one coding and no text: <c>{"coding":[{…}]}</c>.</summary>
    public static void ConceptValue(Utf8JsonWriter writer, string system, string code, string display)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(Coding);
        CodingValue(writer, system, code, display);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
