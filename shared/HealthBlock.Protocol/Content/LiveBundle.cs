using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Protocol.Content;

/// <summary>
/// The stored form of a period's live sub-batches: canonical CBOR <c>{0: version, 1: patient id, 2: epoch,
/// 3: [sealed sub-batch…]}</c>, in ascending live sequence order. Not encrypted as a whole: each element is a
/// <see cref="LiveBatch"/> sealed once, when it was sent live, so the hashes doctors received live are the hashes the IoT
/// transaction's <see cref="LiveAnchor"/> commits, and anyone can check the root without a key.
/// </summary>
/// <param name="Patient">The patient.</param>
/// <param name="Epoch">The key epoch of every sub-batch.</param>
/// <param name="SealedBatches">The sealed sub-batches in ascending sequence order.</param>
public sealed record LiveBundle(IdentityId Patient, uint Epoch, IReadOnlyList<byte[]> SealedBatches)
{
    /// <summary>Largest stored bundle: the IPFS block limit.</summary>
    public const int MaxSize = 1024 * 1024;

    /// <summary>Bytes the CBOR framing adds per sub-batch at most.</summary>
    public const int PerBatchOverhead = 5;

    /// <summary>Bytes the CBOR framing adds per bundle at most.</summary>
    public const int BundleOverhead = 64;

    /// <summary>Format version.</summary>
    public const uint Version = 1;

    /// <summary>The canonical bytes (what is stored).</summary>
    /// <exception cref="ArgumentException">The bundle would exceed <see cref="MaxSize"/>.</exception>
    public byte[] Encode()
    {
        var w = CanonicalCbor.NewWriter();
        w.WriteStartMap(4);
        w.WriteUInt32(0);
        w.WriteUInt32(Version);
        w.WriteUInt32(1);
        w.WriteByteString(Patient.Bytes);
        w.WriteUInt32(2);
        w.WriteUInt32(Epoch);
        w.WriteUInt32(3);
        w.WriteStartArray(SealedBatches.Count);
        foreach (var b in SealedBatches)
        {
            w.WriteByteString(b);
        }

        w.WriteEndArray();
        w.WriteEndMap();
        var bytes = w.Encode();
        return bytes.Length <= MaxSize ? bytes : throw new ArgumentException($"A bundle of {bytes.Length} bytes does not fit one {MaxSize}-byte block.");
    }

    /// <summary>Decodes a stored bundle (bounds checked; sequence order is checked by <see cref="Anchor"/>).</summary>
    /// <exception cref="ProtocolException">Malformed.</exception>
    public static LiveBundle Decode(ReadOnlyMemory<byte> stored)
    {
        if (stored.Length > MaxSize)
        {
            throw new ProtocolException(ProtocolError.InvalidField, $"A live bundle of {stored.Length} bytes exceeds {MaxSize} bytes.");
        }

        return CanonicalCbor.Decode(stored, "live bundle", r =>
        {
            r.BeginMap(4, 4);
            r.Key(0);
            var version = r.UInt32();
            if (version != Version)
            {
                throw new ProtocolException(ProtocolError.UnsupportedVersion, $"Live bundle version {version} is not supported.");
            }

            r.Key(1);
            var patient = IdentityId.FromBytes(r.Bytes(IdentityId.Size));
            r.Key(2);
            var epoch = r.UInt32();
            r.Key(3);
            var n = r.BeginArray(MaxSize / Aead.Overhead);
            var batches = new byte[n][];
            for (var i = 0; i < n; i++)
            {
                batches[i] = r.BytesUpTo(LiveBatch.MaxSealedSize);
            }

            r.EndArray();
            r.EndMap();
            return new LiveBundle(patient, epoch, batches);
        });
    }

    /// <summary>The live sequence number of each sub-batch (from its nonce), in order.</summary>
    /// <exception cref="ProtocolException">An element is not a sealed live sub-batch.</exception>
    public ulong[] Sequences() => [.. SealedBatches.Select(b => LiveBatch.SequenceOf(b))];

    /// <summary>The hash of each sub-batch (the Merkle leaves), in order.</summary>
    public byte[][] Leaves() => [.. SealedBatches.Select(b => LiveBatch.Hash(b))];

    /// <summary>What an IoT transaction commits about this bundle.</summary>
    /// <exception cref="ProtocolException">Empty, an element is not a sealed live sub-batch, or sequences do not ascend.</exception>
    public LiveAnchor Anchor()
    {
        var sequences = Sequences();
        if (sequences.Length == 0)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "A live bundle holds at least one sub-batch.");
        }

        for (var i = 1; i < sequences.Length; i++)
        {
            if (sequences[i] <= sequences[i - 1])
            {
                throw new ProtocolException(ProtocolError.InvalidField, $"Live sequence numbers do not ascend at element {i}.");
            }
        }

        return new LiveAnchor(MerkleTree.ComputeRoot(Leaves()), sequences[0], sequences[^1], (uint)sequences.Length);
    }

    /// <summary>
    /// Checks that this stored bundle is the one an IoT transaction of <paramref name="patient"/> committed for
    /// <paramref name="epoch"/> with <paramref name="anchor"/>: same patient and epoch, ascending sequences, and the
    /// recomputed root, range and count equal the anchor.
    /// </summary>
    /// <exception cref="ProtocolException">It is not (<see cref="ProtocolError.BadProof"/> for a root or range mismatch).</exception>
    public void Verify(IdentityId patient, uint epoch, LiveAnchor anchor)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        if (Patient != patient || Epoch != epoch)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "The live bundle names another patient or epoch than its IoT transaction.");
        }

        if (!Anchor().SameAs(anchor))
        {
            throw new ProtocolException(ProtocolError.BadProof, "The live bundle's root, sequence range or count differs from what its IoT transaction committed.");
        }
    }
}
