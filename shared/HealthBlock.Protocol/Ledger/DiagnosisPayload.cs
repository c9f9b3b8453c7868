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
/// <param name="Cites">
/// Live sub-batches of <paramref name="Epoch"/> the diagnosis used before an IoT transaction committed them (an alarm or
/// a change of finding), ascending by sequence, at most <see cref="MaxCitations"/>; null or empty when none (then the
/// map has 7 entries, else 8 with key 7).
/// </param>
public sealed record DiagnosisPayload(
    IdentityId Patient,
    uint Epoch,
    Cid Cid,
    IReadOnlyList<byte[]> Covers,
    long WindowStartMs,
    long WindowEndMs,
    byte[]? Follows,
    IReadOnlyList<LiveCitation>? Cites = null) : TransactionPayload
{
    /// <summary>Most live sub-batches one diagnosis may cite.</summary>
    public const int MaxCitations = 64;

    /// <summary>The cited live sub-batches (empty when none).</summary>
    public IReadOnlyList<LiveCitation> Citations => Cites ?? [];

    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Diagnosis;

    internal override void Write(CborWriter w)
    {
        var cites = Citations.OrderBy(c => c.Sequence).ToList();
        if (cites.Count > MaxCitations || cites.Any(c => c.Sequence == 0 || c.Hash is not { Length: MerkleTree.HashSize }) || cites.Select(c => c.Sequence).Distinct().Count() != cites.Count)
        {
            throw new ArgumentException($"Citations must be at most {MaxCitations} distinct live sequence numbers above 0, each with a 32-byte hash.");
        }

        w.WriteStartMap(cites.Count == 0 ? 7 : 8);
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

        if (cites.Count > 0)
        {
            w.WriteUInt32(7);
            w.WriteStartArray(cites.Count);
            foreach (var c in cites)
            {
                w.WriteStartArray(2);
                w.WriteUInt64(c.Sequence);
                w.WriteByteString(c.Hash);
                w.WriteEndArray();
            }

            w.WriteEndArray();
        }

        w.WriteEndMap();
    }

    internal static DiagnosisPayload ReadBody(CanonicalReader r)
    {
        var entries = r.BeginMap(7, 8);
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
        List<LiveCitation>? cites = null;
        if (entries == 8)
        {
            r.Key(7);
            var m = r.BeginArray(MaxCitations);
            if (m == 0)
            {
                throw r.Invalid("an empty citation list is written as no key 7");
            }

            cites = new List<LiveCitation>(m);
            for (var i = 0; i < m; i++)
            {
                if (r.BeginArray(2) != 2)
                {
                    throw r.Invalid("a citation is [sequence, hash]");
                }

                var sequence = r.UInt64();
                var hash = r.Bytes(MerkleTree.HashSize);
                r.EndArray();
                if (sequence == 0 || (cites.Count > 0 && cites[^1].Sequence >= sequence))
                {
                    throw r.Invalid("cited live sequence numbers must be above 0 and ascending");
                }

                cites.Add(new LiveCitation(sequence, hash));
            }

            r.EndArray();
        }

        r.EndMap();
        return new(patient, epoch, cid, covers, start, end, follows, cites);
    }
}
