using System.Buffers;
using System.Text.Json;

namespace HealthBlock.Fhir;

/// <summary>
/// Writes an ECG observation entry straight as JSON, the same bytes the Firely serializer gives for
/// <see cref="ReadingObservations.Ecg"/>: the samples are formatted into one pooled byte buffer and written as the
/// <c>data</c> string, so a chunk never becomes a .NET string.
/// </summary>
internal static class EcgEntryJson
{
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText Category = JsonEncodedText.Encode("category");
    private static readonly JsonEncodedText Subject = JsonEncodedText.Encode("subject");
    private static readonly JsonEncodedText EffectivePeriod = JsonEncodedText.Encode("effectivePeriod");
    private static readonly JsonEncodedText Start = JsonEncodedText.Encode("start");
    private static readonly JsonEncodedText End = JsonEncodedText.Encode("end");
    private static readonly JsonEncodedText ValueSampledData = JsonEncodedText.Encode("valueSampledData");
    private static readonly JsonEncodedText Origin = JsonEncodedText.Encode("origin");
    private static readonly JsonEncodedText Unit = JsonEncodedText.Encode("unit");
    private static readonly JsonEncodedText Period = JsonEncodedText.Encode("period");
    private static readonly JsonEncodedText Factor = JsonEncodedText.Encode("factor");
    private static readonly JsonEncodedText Dimensions = JsonEncodedText.Encode("dimensions");
    private static readonly JsonEncodedText Data = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText Device = JsonEncodedText.Encode("device");

    public static void Write(Utf8JsonWriter writer, ExportContext context, EcgChunk chunk)
    {
        EntryJson.StartEntry(writer, chunk.Url, "Observation");
        writer.WriteString(Status, "final");
        writer.WriteStartArray(Category);
        EntryJson.ConceptValue(writer, FhirCodes.ObservationCategory, ReadingObservations.ProcedureCategory, ReadingObservations.ProcedureDisplay);
        writer.WriteEndArray();
        writer.WritePropertyName(EntryJson.Code);
        writer.WriteStartObject();
        writer.WriteStartArray(EntryJson.Coding);
        EntryJson.CodingValue(writer, FhirCodes.MdcOid, FhirCodes.EcgLeadIPotential, FhirCodes.EcgLeadIPotentialName);
        EntryJson.CodingValue(writer, FhirCodes.MdcUri, FhirCodes.EcgLeadIPotential, FhirCodes.EcgLeadIPotentialName);
        writer.WriteEndArray();
        writer.WriteString(EntryJson.Text, ReadingObservations.EcgText);
        writer.WriteEndObject();
        EntryJson.Reference(writer, Subject, context.PatientUrl);
        writer.WriteStartObject(EffectivePeriod);
        writer.WriteString(Start, FhirTime.FromTicks(chunk.StartTicks));
        writer.WriteString(End, FhirTime.FromTicks(chunk.EndTicks));
        writer.WriteEndObject();
        writer.WriteStartObject(ValueSampledData);
        writer.WriteStartObject(Origin);
        writer.WriteNumber(EntryJson.Value, 0);
        writer.WriteString(Unit, FhirCodes.Microvolts);
        writer.WriteString(EntryJson.System, FhirCodes.Ucum);
        writer.WriteString(EntryJson.Code, FhirCodes.Microvolts);
        writer.WriteEndObject();
        writer.WriteNumber(Period, ReadingObservations.PeriodMs(chunk.RateMilliHz));
        writer.WriteNumber(Factor, 1);
        writer.WriteNumber(Dimensions, 1);
        WriteData(writer, chunk);
        writer.WriteEndObject();
        EntryJson.Reference(writer, Device, context.DeviceUrl(chunk.DeviceId));
        EntryJson.EndEntry(writer);
    }

    private static void WriteData(Utf8JsonWriter writer, EcgChunk chunk)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, SampledDataText.Count(chunk.Parts) * SampledDataText.MaxBytesPerSample));
        try
        {
            writer.WriteString(Data, buffer.AsSpan(0, SampledDataText.Write(chunk.Parts, buffer)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
