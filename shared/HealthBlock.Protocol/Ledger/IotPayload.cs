using System.Formats.Cbor;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// The signer (a patient) announces IoT frames stored under <paramref name="Cid"/>: either one encrypted batch
/// (<see cref="IotBatch"/>, <paramref name="Live"/> null; map of 7 entries) or a bundle of live sub-batches sealed when
/// they were sent live (<see cref="LiveBundle"/>, with its <see cref="LiveAnchor"/>; map of 11 entries).
/// </summary>
/// <param name="Epoch">Key epoch the frames are encrypted under.</param>
/// <param name="Batch">The patient's batch number (unique, never reused; the AES-GCM nonce counter of an <see cref="IotBatch"/>).</param>
/// <param name="Cid">Where the ciphertext (batch or bundle) is stored.</param>
/// <param name="WindowStartMs">Time of the earliest sample in the batch (ms since the Unix epoch).</param>
/// <param name="WindowEndMs">Time of the latest sample.</param>
/// <param name="Kinds">Sensor kinds present, ascending, no duplicates.</param>
/// <param name="FrameCount">Number of frames in the batch.</param>
/// <param name="Live">For a bundle of live sub-batches: the Merkle root, sequence range and count it commits; else null.</param>
public sealed record IotPayload(uint Epoch, ulong Batch, Cid Cid, long WindowStartMs, long WindowEndMs, IReadOnlyList<SensorKind> Kinds, uint FrameCount, LiveAnchor? Live = null) : TransactionPayload
{
    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Iot;

    internal override void Write(CborWriter w)
    {
        if (Live?.Problem() is { } problem)
        {
            throw new ArgumentException($"Invalid live anchor: {problem}.");
        }

        w.WriteStartMap(Live is null ? 7 : 11);
        w.WriteUInt32(0);
        w.WriteUInt32(Epoch);
        w.WriteUInt32(1);
        w.WriteUInt64(Batch);
        w.WriteUInt32(2);
        w.WriteByteString(Cid.ToBytes());
        w.WriteUInt32(3);
        w.WriteInt64(WindowStartMs);
        w.WriteUInt32(4);
        w.WriteInt64(WindowEndMs);
        w.WriteUInt32(5);
        w.WriteStartArray(Kinds.Count);
        foreach (var k in Kinds.Order())
        {
            w.WriteUInt32((byte)k);
        }

        w.WriteEndArray();
        w.WriteUInt32(6);
        w.WriteUInt32(FrameCount);
        if (Live is { } live)
        {
            w.WriteUInt32(7);
            w.WriteByteString(live.Root);
            w.WriteUInt32(8);
            w.WriteUInt64(live.FirstSequence);
            w.WriteUInt32(9);
            w.WriteUInt64(live.LastSequence);
            w.WriteUInt32(10);
            w.WriteUInt32(live.Count);
        }

        w.WriteEndMap();
    }

    internal static IotPayload ReadBody(CanonicalReader r)
    {
        var entries = r.BeginMap(7, 11);
        if (entries is not (7 or 11))
        {
            throw r.Invalid($"an IoT payload has 7 or 11 entries, not {entries}");
        }

        r.Key(0);
        var epoch = r.UInt32();
        r.Key(1);
        var batch = r.UInt64();
        r.Key(2);
        var cid = ReadCid(r);
        r.Key(3);
        var start = r.Int64();
        r.Key(4);
        var end = r.Int64();
        if (end < start)
        {
            throw r.Invalid("window ends before it starts");
        }

        r.Key(5);
        var n = r.BeginArray(16);
        var kinds = new List<SensorKind>(n);
        for (var i = 0; i < n; i++)
        {
            var k = r.Byte();
            if (kinds.Count > 0 && (byte)kinds[^1] >= k)
            {
                throw r.Invalid("sensor kinds not ascending");
            }

            kinds.Add((SensorKind)k);
        }

        r.EndArray();
        r.Key(6);
        var frames = r.UInt32();
        LiveAnchor? live = null;
        if (entries == 11)
        {
            r.Key(7);
            var root = r.Bytes(MerkleTree.HashSize);
            r.Key(8);
            var first = r.UInt64();
            r.Key(9);
            var last = r.UInt64();
            r.Key(10);
            live = new LiveAnchor(root, first, last, r.UInt32());
            if (live.Problem() is { } problem)
            {
                throw r.Invalid(problem);
            }
        }

        r.EndMap();
        return new(epoch, batch, cid, start, end, kinds, frames, live);
    }
}
