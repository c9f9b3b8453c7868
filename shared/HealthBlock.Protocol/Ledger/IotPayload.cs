using System.Formats.Cbor;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Protocol.Ledger;

/// <summary>The signer (a patient) announces one encrypted batch of IoT frames stored under <paramref name="Cid"/>.</summary>
/// <param name="Epoch">Key epoch the batch is encrypted under.</param>
/// <param name="Batch">The patient's batch number (unique, never reused; also the AES-GCM nonce counter).</param>
/// <param name="Cid">Where the ciphertext is stored.</param>
/// <param name="WindowStartMs">Time of the earliest sample in the batch (ms since the Unix epoch).</param>
/// <param name="WindowEndMs">Time of the latest sample.</param>
/// <param name="Kinds">Sensor kinds present, ascending, no duplicates.</param>
/// <param name="FrameCount">Number of frames in the batch.</param>
public sealed record IotPayload(uint Epoch, ulong Batch, Cid Cid, long WindowStartMs, long WindowEndMs, IReadOnlyList<SensorKind> Kinds, uint FrameCount) : TransactionPayload
{
    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Iot;

    internal override void Write(CborWriter w)
    {
        w.WriteStartMap(7);
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
        w.WriteEndMap();
    }

    internal static IotPayload ReadBody(CanonicalReader r)
    {
        r.BeginMap(7, 7);
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
        r.EndMap();
        return new(epoch, batch, cid, start, end, kinds, frames);
    }
}
