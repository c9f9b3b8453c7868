using System.Buffers.Binary;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Protocol.Content;

/// <summary>
/// What a per-batch <see cref="IotBatch"/> and a <see cref="LiveBatch"/> share: the canonical CBOR plaintext
/// <c>{0: version, 1: patient id, 2: epoch, 3: number, 4: [frame bytes…]}</c> and the AAD
/// <c>tag (4 bytes) ‖ patient id ‖ epoch (u32 BE) ‖ number (u64 BE)</c>; each names its own tag, nonce domain and
/// number (batch or live sequence).
/// </summary>
internal static class SealedFrames
{
    /// <summary>The canonical plaintext.</summary>
    public static byte[] Encode(uint version, IdentityId patient, uint epoch, ulong number, IReadOnlyList<byte[]> frames)
    {
        var w = CanonicalCbor.NewWriter();
        w.WriteStartMap(5);
        w.WriteUInt32(0);
        w.WriteUInt32(version);
        w.WriteUInt32(1);
        w.WriteByteString(patient.Bytes);
        w.WriteUInt32(2);
        w.WriteUInt32(epoch);
        w.WriteUInt32(3);
        w.WriteUInt64(number);
        w.WriteUInt32(4);
        FrameList.Write(w, frames);
        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary>Decodes a plaintext written by <see cref="Encode"/>; <paramref name="what"/> names it in errors.</summary>
    public static (IdentityId Patient, uint Epoch, ulong Number, IReadOnlyList<byte[]> Frames) Decode(ReadOnlyMemory<byte> plaintext, string what, uint version, int maxPlaintextSize) =>
        CanonicalCbor.Decode(plaintext, what, r =>
        {
            r.BeginMap(5, 5);
            r.Key(0);
            var found = r.UInt32();
            if (found != version)
            {
                throw new ProtocolException(ProtocolError.UnsupportedVersion, $"{char.ToUpperInvariant(what[0])}{what[1..]} version {found} is not supported.");
            }

            r.Key(1);
            var patient = IdentityId.FromBytes(r.Bytes(IdentityId.Size));
            r.Key(2);
            var epoch = r.UInt32();
            r.Key(3);
            var number = r.UInt64();
            r.Key(4);
            IReadOnlyList<byte[]> frames = FrameList.Read(r, maxPlaintextSize);
            r.EndMap();
            return (patient, epoch, number, frames);
        });

    /// <summary>The AAD binding sealed frames to their patient, epoch and number under a 4-byte <paramref name="tag"/>.</summary>
    public static byte[] Aad(ReadOnlySpan<byte> tag, IdentityId patient, uint epoch, ulong number)
    {
        var aad = new byte[4 + IdentityId.Size + 4 + 8];
        tag.CopyTo(aad);
        patient.Bytes.CopyTo(aad.AsSpan(4));
        BinaryPrimitives.WriteUInt32BigEndian(aad.AsSpan(4 + IdentityId.Size), epoch);
        BinaryPrimitives.WriteUInt64BigEndian(aad.AsSpan(8 + IdentityId.Size), number);
        return aad;
    }
}
