using System.Formats.Cbor;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Content;

namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// The signer (a doctor) publishes a diagnosis about <paramref name="Patient"/>, encrypted under the diagnosis key
/// of <paramref name="Epoch"/> and stored under <paramref name="Cid"/>.
/// </summary>
/// <param name="Patient">The patient.</param>
/// <param name="Epoch">The key epoch whose diagnosis key encrypts it.</param>
/// <param name="Cid">Where the encrypted diagnosis document is stored.</param>
/// <param name="Covers">Ids of the IoT transactions it covers, ascending, no duplicates.</param>
/// <param name="WindowStartMs">Start of the time window covered.</param>
/// <param name="WindowEndMs">End of the time window covered.</param>
/// <param name="Follows">For a follow-up (e.g. a clinician note), the id of the diagnosis it follows; else null.</param>
public sealed record DiagnosisPayload(
    IdentityId Patient,
    uint Epoch,
    Cid Cid,
    IReadOnlyList<byte[]> Covers,
    long WindowStartMs,
    long WindowEndMs,
    byte[]? Follows) : TransactionPayload
{
    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Diagnosis;

    internal override void Write(CborWriter w)
    {
        w.WriteStartMap(7);
        w.WriteUInt32(0);
        w.WriteByteString(Patient.Bytes);
        w.WriteUInt32(1);
        w.WriteUInt32(Epoch);
        w.WriteUInt32(2);
        w.WriteByteString(Cid.ToBytes());
        w.WriteUInt32(3);
        w.WriteStartArray(Covers.Count);
        foreach (var id in Covers.OrderBy(c => c, ByteArrayComparer.Instance))
        {
            w.WriteByteString(id);
        }

        w.WriteEndArray();
        w.WriteUInt32(4);
        w.WriteInt64(WindowStartMs);
        w.WriteUInt32(5);
        w.WriteInt64(WindowEndMs);
        w.WriteUInt32(6);
        if (Follows is null)
        {
            w.WriteNull();
        }
        else
        {
            w.WriteByteString(Follows);
        }

        w.WriteEndMap();
    }

    internal static DiagnosisPayload ReadBody(CanonicalReader r)
    {
        r.BeginMap(7, 7);
        r.Key(0);
        var patient = ReadId(r);
        r.Key(1);
        var epoch = r.UInt32();
        r.Key(2);
        var cid = ReadCid(r);
        r.Key(3);
        var n = r.BeginArray(MaxCovered);
        var covers = new List<byte[]>(n);
        for (var i = 0; i < n; i++)
        {
            var id = r.Bytes(32);
            if (covers.Count > 0 && ByteArrayComparer.Instance.Compare(covers[^1], id) >= 0)
            {
                throw r.Invalid("covered transaction ids not ascending");
            }

            covers.Add(id);
        }

        r.EndArray();
        r.Key(4);
        var start = r.Int64();
        r.Key(5);
        var end = r.Int64();
        if (end < start)
        {
            throw r.Invalid("window ends before it starts");
        }

        r.Key(6);
        var follows = r.Null() ? null : r.Bytes(32);
        r.EndMap();
        return new(patient, epoch, cid, covers, start, end, follows);
    }
}
