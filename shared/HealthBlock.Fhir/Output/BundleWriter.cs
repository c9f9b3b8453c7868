using System.Buffers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace HealthBlock.Fhir;

/// <summary>
/// Writes a plan as FHIR JSON, byte for byte what the Firely serializer writes for the whole <c>Bundle</c>, without
/// holding the bundle in memory: entries are built and serialised (each by the Firely serializer) in parallel, a
/// wave of segments at a time, and written in order.
/// </summary>
internal static class BundleWriter
{
    private const int EntriesPerSegment = 64;

    private static readonly byte[] EntryStart = ",\"entry\":["u8.ToArray();
    private static readonly byte[] End = "]}"u8.ToArray();

    public static void Write(ExportPlan plan, Stream output, int parallelism)
    {
        var serializer = new BaseFhirJsonSerializer(ModelInfo.ModelInspector);
        var header = serializer.SerializeToBytes(Header(plan));
        if (plan.Entries.Count == 0)
        {
            output.Write(header);
            return;
        }

        // The header is a complete object; "entry" comes after every field it has, so it goes before the closing brace.
        output.Write(header, 0, header.Length - 1);
        output.Write(EntryStart);
        var segments = (plan.Entries.Count + EntriesPerSegment - 1) / EntriesPerSegment;
        var waveSize = parallelism * 4;
        var buffers = new ArrayBufferWriter<byte>[waveSize];
        for (var i = 0; i < waveSize; i++)
        {
            buffers[i] = new ArrayBufferWriter<byte>(64 * 1024);
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = parallelism };
        for (var wave = 0; wave < segments; wave += waveSize)
        {
            var count = Math.Min(waveSize, segments - wave);
            Parallel.For(0, count, parallel, i => WriteSegment(plan, serializer, wave + i, buffers[i]));
            for (var i = 0; i < count; i++)
            {
                output.Write(buffers[i].WrittenSpan);
            }
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

    private static void WriteSegment(ExportPlan plan, BaseFhirJsonSerializer serializer, int segment, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        var first = segment * EntriesPerSegment;
        var last = Math.Min(plan.Entries.Count, first + EntriesPerSegment);
        using var writer = new Utf8JsonWriter(buffer);
        for (var i = first; i < last; i++)
        {
            if (i > 0)
            {
                writer.Flush();
                buffer.Write(","u8);
                writer.Reset(buffer);
            }

            serializer.Serialize(plan.Entries[i].ToEntry(), writer);
        }

        writer.Flush();
    }
}
