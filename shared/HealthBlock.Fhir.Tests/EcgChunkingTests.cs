using Hl7.Fhir.Model;

namespace HealthBlock.Fhir.Tests;

/// <summary>How ECG segments become observations: joined across batches when they continue each other, cut at the chunk length.</summary>
public sealed class EcgChunkingTests
{
    private static readonly long T0 = PatientDay.StartMs;

    private static List<(long Start, long End, int Samples, decimal? Period)> Chunks(FhirExportInput input, FhirExportOptions? options = null) =>
        new ParsedBundle(FhirExporter.ToUtf8Json(input, options)).All<Observation>().Where(o => o.Value is SampledData)
            .Select(o => (ParsedBundle.Span(o.Effective).Start, ParsedBundle.Span(o.Effective).End, ((SampledData)o.Value!).Data!.Split(' ').Length, ((SampledData)o.Value!).Period))
            .OrderBy(c => c.Start).ToList();

    [Fact]
    public void A_recording_longer_than_the_chunk_length_is_cut_into_observations_of_at_most_that_length()
    {
        // 150 s in 1 s frames, 10 frames per batch.
        var batches = Enumerable.Range(0, 15).Select(b => Inputs.Batch(
            b, T0 + ((b + 1) * 10_000), Enumerable.Range(0, 10).Select(s => Inputs.Ecg(PatientDay.WearableId, T0 + (((b * 10) + s) * 1000L), 250)).ToArray())).ToArray();

        Assert.Equal(
            [(T0, T0 + 60_000, 15_000, 4m), (T0 + 60_000, T0 + 120_000, 15_000, 4m), (T0 + 120_000, T0 + 150_000, 7_500, 4m)],
            Chunks(Inputs.Only(batches)));
        Assert.Equal(8, Chunks(Inputs.Only(batches), new FhirExportOptions { EcgChunkSeconds = 20 }).Count);
    }

    [Fact]
    public void Segments_that_continue_each_other_join_across_batches_and_a_gap_or_another_device_starts_a_new_recording()
    {
        var input = Inputs.Only(
            Inputs.Batch(0, T0 + 2_000, Inputs.Ecg(PatientDay.WearableId, T0, 250), Inputs.Ecg(Inputs.SecondDevice, T0 + 1, 250)),
            Inputs.Batch(1, T0 + 3_000, Inputs.Ecg(PatientDay.WearableId, T0 + 1_000, 250)),
            Inputs.Batch(2, T0 + 9_000, Inputs.Ecg(PatientDay.WearableId, T0 + 3_000, 250)));

        Assert.Equal(
            [(T0, T0 + 2_000, 500, 4m), (T0 + 1, T0 + 1_001, 250, 4m), (T0 + 3_000, T0 + 4_000, 250, 4m)],
            Chunks(input));
    }

    [Fact]
    public void A_frame_timestamp_rounded_to_the_millisecond_still_continues_the_recording_on_its_own_clock()
    {
        // 100 samples at 360 Hz last 277.78 ms: the next frame says 277 ms; the recording keeps the exact clock.
        var input = Inputs.Only(
            Inputs.Batch(0, T0 + 1_000, Inputs.Ecg(PatientDay.WearableId, T0, 100, 360_000)),
            Inputs.Batch(1, T0 + 2_000, Inputs.Ecg(PatientDay.WearableId, T0 + 277, 100, 360_000)));

        var chunk = Assert.Single(Chunks(input));
        Assert.Equal((T0, T0 + 555, 200, 2.7777777778m), chunk);
        var period = (Period)new ParsedBundle(FhirExporter.ToUtf8Json(input)).All<Observation>().Single(o => o.Value is SampledData).Effective!;
        Assert.Equal("2026-12-01T00:00:00.5555556Z", period.End);
    }

    [Fact]
    public void Overlapping_ECG_of_one_device_is_refused_naming_the_device_and_transaction()
    {
        var input = Inputs.Only(
            Inputs.Batch(0, T0 + 1_000, Inputs.Ecg(PatientDay.WearableId, T0, 250)),
            Inputs.Batch(1, T0 + 2_000, Inputs.Ecg(PatientDay.WearableId, T0 + 500, 250)));

        var error = Assert.Throws<FhirExportException>(() => FhirExporter.ToUtf8Json(input));
        Assert.Contains("00a1b2c3d4e5f601", error.Message, StringComparison.Ordinal);
        Assert.Contains(Inputs.Iot(1, 0).TransactionId, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_batch_provenance_targets_exactly_the_chunks_its_samples_are_in()
    {
        // Batch 1 holds the seconds 59 and 60, on both sides of the first chunk boundary.
        var input = Inputs.Only(
            Inputs.Batch(0, T0 + 59_000, Enumerable.Range(0, 59).Select(s => Inputs.Ecg(PatientDay.WearableId, T0 + (s * 1000L), 250)).ToArray()),
            Inputs.Batch(1, T0 + 61_000, Inputs.Ecg(PatientDay.WearableId, T0 + 59_000, 250), Inputs.Ecg(PatientDay.WearableId, T0 + 60_000, 250)),
            Inputs.Batch(2, T0 + 62_000, Inputs.Ecg(PatientDay.WearableId, T0 + 61_000, 250)));
        var parsed = new ParsedBundle(FhirExporter.ToUtf8Json(input));

        long[] Starts(int batch) => parsed.All<Provenance>().Single(p => p.Entity[0].What!.Identifier!.Value == Inputs.Iot(batch, 0).TransactionId)
            .Target.Select(t => ParsedBundle.Span(parsed.Resolve<Observation>(t).Effective).Start).ToArray();

        Assert.Equal([T0], Starts(0));
        Assert.Equal([T0, T0 + 60_000], Starts(1));
        Assert.Equal([T0 + 60_000], Starts(2));
    }
}
