using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace HealthBlock.Fhir;

/// <summary>
/// Writes a plan as FHIR JSON, byte for byte what the Firely serializer writes for the whole <c>Bundle</c>, without
/// holding the bundle in memory. Entries are cut into segments; worker threads build and serialise segments in
/// parallel into a ring of buffers, and the calling thread writes them out in order as each is ready (a slow segment
/// holds back only the writer, not the other workers). Most entries go through Firely objects and its serializer;
/// ECG chunks and provenances, nine tenths of a day's bytes, are written straight as the same JSON
/// (<see cref="PlannedEntry.WriteJson"/>).
/// </summary>
internal static class BundleWriter
{
    private const int EntriesPerSegment = 32;

    /// <summary>
    /// How the export escapes strings: only what RFC 8259 requires (quote, backslash, control characters), so that
    /// instants keep their <c>+00:00</c> and notes their non-ASCII letters as written. The default encoder also escapes
    /// HTML-sensitive characters, which matters only for JSON embedded in a web page; an export is a file.
    /// </summary>
    public static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly byte[] EntryStart = ",\"entry\":["u8.ToArray();
    private static readonly byte[] End = "]}"u8.ToArray();

    public static void Write(ExportPlan plan, Stream output, int parallelism)
    {
        var serializer = new BaseFhirJsonSerializer(ModelInfo.ModelInspector);
        var header = Serialize(serializer, Header(plan));
        if (plan.Entries.Count == 0)
        {
            output.Write(header);
            return;
        }

        // The header is a complete object; "entry" comes after every field it has, so it goes before the closing brace.
        output.Write(header, 0, header.Length - 1);
        output.Write(EntryStart);
        var segments = (plan.Entries.Count + EntriesPerSegment - 1) / EntriesPerSegment;
        if (parallelism == 1 || segments == 1)
        {
            var buffer = new ArrayBufferWriter<byte>(1 << 20);
            for (var i = 0; i < segments; i++)
            {
                WriteSegment(plan, serializer, i, buffer);
                output.Write(buffer.WrittenSpan);
            }
        }
        else
        {
            using var ring = new SegmentRing(parallelism * 4);
            ring.Run(segments, parallelism, (i, buffer) => WriteSegment(plan, serializer, i, buffer), output);
        }

        output.Write(End);
    }

    /// <summary>The bundle without its entries: id, type <c>collection</c>, timestamp.</summary>
    public static Bundle Header(ExportPlan plan) => new()
    {
        Id = plan.BundleId,
        Type = Bundle.BundleType.Collection,
        Timestamp = plan.TimestampMs is { } ms ? FhirTime.Instant(ms) : null,
    };

    /// <summary>A Firely object as JSON with the export's escaping.</summary>
    public static byte[] Serialize(BaseFhirJsonSerializer serializer, Base instance)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            serializer.Serialize(instance, writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteSegment(ExportPlan plan, BaseFhirJsonSerializer serializer, int segment, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        var first = segment * EntriesPerSegment;
        var last = Math.Min(plan.Entries.Count, first + EntriesPerSegment);
        using var writer = new Utf8JsonWriter(buffer, JsonOptions);
        for (var i = first; i < last; i++)
        {
            if (i > 0)
            {
                writer.Flush();
                buffer.Write(","u8);
                writer.Reset(buffer);
            }

            var entry = plan.Entries[i];
            if (entry.WriteJson is { } write)
            {
                write(writer);
            }
            else
            {
                serializer.Serialize(entry.ToEntry(), writer);
            }
        }

        writer.Flush();
    }
}
