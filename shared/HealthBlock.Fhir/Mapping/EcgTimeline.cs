using System.Globalization;

namespace HealthBlock.Fhir;

/// <summary>
/// Joins the ECG segments of all batches into continuous recordings per device and cuts each into chunks of at most
/// the chunk length, remembering which batches contributed to which chunk (for their provenance).
/// </summary>
/// <remarks>
/// A segment continues a recording when it has the same device and rate and starts within one millisecond of where
/// the recording's next sample is due (frame timestamps are whole milliseconds); the recording's own clock is kept, so
/// sample <c>k</c> is at <c>start + k / rate</c>. A segment that starts before the recording has ended overlaps it and
/// is refused: the same samples twice would be a corrupt input.
/// </remarks>
internal static class EcgTimeline
{
    /// <summary>The chunks, ordered by device then time; <paramref name="targets"/>[batch] gets the URL of every chunk that batch contributed to.</summary>
    /// <param name="batches">The batches, in export order.</param>
    /// <param name="chunkSeconds">Longest chunk, seconds.</param>
    /// <param name="targets">One list per batch, appended to.</param>
    /// <exception cref="FhirExportException">A segment overlaps another of the same device.</exception>
    public static List<EcgChunk> Cut(IReadOnlyList<ReadingBatch> batches, int chunkSeconds, List<string>[] targets)
    {
        var pieces = new List<(EcgSegment Segment, int Batch)>();
        for (var b = 0; b < batches.Count; b++)
        {
            foreach (var segment in batches[b].Ecg)
            {
                pieces.Add((segment, b));
            }
        }

        pieces.Sort((x, y) =>
        {
            var c = x.Segment.DeviceId.CompareTo(y.Segment.DeviceId);
            c = c != 0 ? c : x.Segment.StartMs.CompareTo(y.Segment.StartMs);
            return c != 0 ? c : x.Batch.CompareTo(y.Batch);
        });

        var chunks = new List<EcgChunk>();
        var recording = new List<(EcgSegment Segment, int Batch)>();
        long samples = 0;
        foreach (var piece in pieces)
        {
            if (recording.Count > 0 && !Continues(recording[0].Segment, samples, piece, batches))
            {
                CutRecording(recording, samples, chunkSeconds, chunks, targets);
                recording.Clear();
                samples = 0;
            }

            recording.Add(piece);
            samples += piece.Segment.Microvolts.Length;
        }

        if (recording.Count > 0)
        {
            CutRecording(recording, samples, chunkSeconds, chunks, targets);
        }

        return chunks;
    }

    private static bool Continues(EcgSegment first, long samples, (EcgSegment Segment, int Batch) next, IReadOnlyList<ReadingBatch> batches)
    {
        var candidate = next.Segment;
        if (candidate.DeviceId != first.DeviceId)
        {
            return false;
        }

        // Times scaled by the rate (ms × mHz) so that the due time of the next sample is exact.
        var due = ((Int128)first.StartMs * first.RateMilliHz) + ((Int128)samples * 1_000_000);
        var starts = (Int128)candidate.StartMs * first.RateMilliHz;
        if (starts <= due - first.RateMilliHz)
        {
            throw new FhirExportException(string.Create(
                CultureInfo.InvariantCulture,
                $"ECG of device {Hex(candidate.DeviceId)} at {candidate.StartMs} ms (transaction {batches[next.Batch].Origin.TransactionId}) overlaps the recording that started at {first.StartMs} ms and runs to {(long)(due / first.RateMilliHz)} ms."));
        }

        return candidate.RateMilliHz == first.RateMilliHz && starts < due + first.RateMilliHz;
    }

    private static void CutRecording(List<(EcgSegment Segment, int Batch)> recording, long total, int chunkSeconds, List<EcgChunk> chunks, List<string>[] targets)
    {
        var first = recording[0].Segment;
        var rate = first.RateMilliHz;
        var chunkLength = Math.Max(1L, (long)chunkSeconds * rate / 1000);
        var piece = 0;
        var offsetInPiece = 0;
        for (long start = 0; start < total; start += chunkLength)
        {
            var length = (int)Math.Min(chunkLength, total - start);
            var startTicks = TicksAt(first.StartMs, rate, start);
            var url = "urn:uuid:" + DeterministicUuid.Create(string.Create(
                CultureInfo.InvariantCulture, $"Observation/ecg/{Hex(first.DeviceId)}/{startTicks}"));
            var parts = new List<ReadOnlyMemory<short>>();
            var needed = length;
            while (needed > 0)
            {
                var (segment, batch) = recording[piece];
                var take = Math.Min(needed, segment.Microvolts.Length - offsetInPiece);
                parts.Add(segment.Microvolts.Slice(offsetInPiece, take));
                AddTarget(targets[batch], url);
                needed -= take;
                offsetInPiece += take;
                if (offsetInPiece == segment.Microvolts.Length)
                {
                    piece++;
                    offsetInPiece = 0;
                }
            }

            chunks.Add(new EcgChunk(first.DeviceId, rate, startTicks, TicksAt(first.StartMs, rate, start + length), parts, url));
        }
    }

    /// <summary>Time of sample <paramref name="index"/> of a recording, in 100-ns ticks since the Unix epoch, rounded to the nearest tick.</summary>
    private static long TicksAt(long startMs, uint rateMilliHz, long index)
    {
        // One sample period is 10^10 / rate ticks (rate in mHz).
        var offset = (((Int128)index * 20_000_000_000L) + rateMilliHz) / (2 * (Int128)rateMilliHz);
        return (startMs * FhirTime.TicksPerMs) + (long)offset;
    }

    private static void AddTarget(List<string> list, string url)
    {
        if (list.Count == 0 || !ReferenceEquals(list[^1], url))
        {
            list.Add(url);
        }
    }

    private static string Hex(ulong deviceId) => deviceId.ToString("x16", CultureInfo.InvariantCulture);
}
