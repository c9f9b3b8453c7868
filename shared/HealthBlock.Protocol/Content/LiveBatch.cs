using System.Security.Cryptography;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Protocol.Content;

/// <summary>
/// A live sub-batch: the frames one journal write of a patient's gateway made durable, sealed at once and sent to the
/// authorised doctors' nodes before any IoT transaction names them. Canonical CBOR
/// <c>{0: version, 1: patient id, 2: epoch, 3: live sequence number, 4: [frame bytes…]}</c>, sealed with AES-256-GCM
/// under the IoT key of <see cref="Epoch"/> with nonce <c>IOTL ‖ sequence</c> (a nonce domain of its own: it never
/// collides with a batch nonce <c>IOTB ‖ batch</c> under the same key) and AAD
/// <c>"HBL1" ‖ patient id ‖ epoch (u32 BE) ‖ sequence (u64 BE)</c>. The sequence number starts at 1 in each epoch (whose
/// key is fresh) and is taken once, in the durable write that stores the sealed bytes. The SHA-256 of the sealed bytes is
/// the sub-batch's <see cref="Hash"/>: the leaf of the live Merkle root that the period's IoT transaction commits and
/// what an alarm diagnosis cites.
/// </summary>
/// <param name="Patient">The patient.</param>
/// <param name="Epoch">The key epoch.</param>
/// <param name="Sequence">The live sequence number within the epoch (≥ 1).</param>
/// <param name="Frames">The encoded frames, exactly as the devices sent them, in journal order.</param>
public sealed record LiveBatch(IdentityId Patient, uint Epoch, ulong Sequence, IReadOnlyList<byte[]> Frames)
{
    /// <summary>Largest sealed sub-batch (a live message stays small; a larger journal write is split).</summary>
    public const int MaxSealedSize = 256 * 1024;

    /// <summary>Largest plaintext that still seals under <see cref="MaxSealedSize"/>.</summary>
    public const int MaxPlaintextSize = MaxSealedSize - Aead.Overhead;

    /// <summary>Bytes the CBOR framing adds to a sub-batch at most (besides each frame's header).</summary>
    public const int Overhead = 64;

    /// <summary>Format version.</summary>
    public const uint Version = 1;

    /// <summary>The canonical plaintext.</summary>
    public byte[] Encode() => SealedFrames.Encode(Version, Patient, Epoch, Sequence, Frames);

    /// <summary>Decodes a plaintext sub-batch.</summary>
    public static LiveBatch Decode(ReadOnlyMemory<byte> plaintext)
    {
        var (patient, epoch, sequence, frames) = SealedFrames.Decode(plaintext, "live sub-batch", Version, MaxPlaintextSize);
        return new LiveBatch(patient, epoch, sequence, frames);
    }

    /// <summary>Encrypts the sub-batch under the epoch's IoT key.</summary>
    /// <exception cref="ArgumentException">The sequence is 0, or the sub-batch does not fit <see cref="MaxSealedSize"/>.</exception>
    public byte[] Seal(ReadOnlySpan<byte> iotKey)
    {
        if (Sequence == 0)
        {
            throw new ArgumentException("Live sequence numbers start at 1.");
        }

        var plaintext = Encode();
        if (plaintext.Length > MaxPlaintextSize)
        {
            throw new ArgumentException($"A live sub-batch of {plaintext.Length} bytes does not fit {MaxSealedSize} bytes; split it.");
        }

        return Aead.Seal(iotKey, AeadNonce.For(AeadNonce.Purpose.Live, Sequence), plaintext, Aad(Patient, Epoch, Sequence));
    }

    /// <summary>
    /// Decrypts a sealed sub-batch of <paramref name="patient"/> under <paramref name="epoch"/>'s IoT key; its sequence
    /// number is read from the nonce. A sub-batch moved to another patient or epoch fails authentication.
    /// </summary>
    /// <exception cref="CryptoException">Wrong key or AAD, or altered ciphertext.</exception>
    /// <exception cref="ProtocolException">Not a live nonce, or the plaintext is malformed or disagrees with its nonce and AAD.</exception>
    public static LiveBatch Open(ReadOnlySpan<byte> sealedBatch, ReadOnlySpan<byte> iotKey, IdentityId patient, uint epoch)
    {
        var sequence = SequenceOf(sealedBatch);
        var plaintext = Aead.Open(iotKey, sealedBatch, Aad(patient, epoch, sequence));
        var decoded = Decode(plaintext);
        if (decoded.Patient != patient || decoded.Epoch != epoch || decoded.Sequence != sequence)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "The live sub-batch names another patient, epoch or sequence than its nonce and AAD.");
        }

        return decoded;
    }

    /// <summary>The live sequence number a sealed sub-batch carries in its nonce (readable without the key).</summary>
    /// <exception cref="ProtocolException">The bytes do not start with a live nonce, or the sequence is 0.</exception>
    public static ulong SequenceOf(ReadOnlySpan<byte> sealedBatch)
    {
        if (sealedBatch.Length < Aead.Overhead || AeadNonce.Read(sealedBatch) is not { FixedField: AeadNonce.Purpose.Live, Counter: > 0 } nonce)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "Not a sealed live sub-batch (its nonce is not IOTL with a sequence above 0).");
        }

        return nonce.Counter;
    }

    /// <summary>The sub-batch hash: SHA-256 of the sealed bytes (the leaf of the live Merkle root, what alarms cite).</summary>
    public static byte[] Hash(ReadOnlySpan<byte> sealedBatch) => SHA256.HashData(sealedBatch);

    /// <summary>The AAD binding a sub-batch to its patient, epoch and sequence number.</summary>
    public static byte[] Aad(IdentityId patient, uint epoch, ulong sequence) => SealedFrames.Aad("HBL1"u8, patient, epoch, sequence);
}
