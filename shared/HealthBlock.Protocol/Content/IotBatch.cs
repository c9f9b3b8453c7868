using HealthBlock.Crypto;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Protocol.Content;

/// <summary>
/// One batch of a patient's device frames: canonical CBOR <c>{0: version, 1: patient id, 2: epoch, 3: batch number,
/// 4: [frame bytes…]}</c>, sealed with AES-256-GCM under the IoT key of <see cref="Epoch"/> with nonce
/// <c>IOTB ‖ batch number</c> and AAD <c>"HBB1" ‖ patient id ‖ epoch (u32 BE) ‖ batch (u64 BE)</c>. The frames are the
/// exact bytes the devices sent (their HMAC tags included).
/// </summary>
/// <param name="Patient">The patient.</param>
/// <param name="Epoch">The key epoch.</param>
/// <param name="Batch">The batch number.</param>
/// <param name="Frames">The encoded frames in journal order.</param>
public sealed record IotBatch(IdentityId Patient, uint Epoch, ulong Batch, IReadOnlyList<byte[]> Frames)
{
    /// <summary>Largest sealed batch: the IPFS block limit.</summary>
    public const int MaxSealedSize = 1024 * 1024;

    /// <summary>Largest plaintext that still seals under <see cref="MaxSealedSize"/>.</summary>
    public const int MaxPlaintextSize = MaxSealedSize - Aead.Overhead;

    /// <summary>Format version.</summary>
    public const uint Version = 1;

    /// <summary>Bytes the CBOR framing adds per frame (byte-string header) at most.</summary>
    public const int PerFrameOverhead = 3;

    /// <summary>Bytes the CBOR framing adds per batch at most.</summary>
    public const int BatchOverhead = 64;

    /// <summary>The canonical plaintext.</summary>
    public byte[] Encode() => SealedFrames.Encode(Version, Patient, Epoch, Batch, Frames);

    /// <summary>Decodes a plaintext batch.</summary>
    public static IotBatch Decode(ReadOnlyMemory<byte> plaintext)
    {
        var (patient, epoch, batch, frames) = SealedFrames.Decode(plaintext, "IoT batch", Version, MaxPlaintextSize);
        return new IotBatch(patient, epoch, batch, frames);
    }

    /// <summary>Encrypts the batch under the epoch's IoT key.</summary>
    public byte[] Seal(ReadOnlySpan<byte> iotKey)
    {
        var plaintext = Encode();
        if (plaintext.Length > MaxPlaintextSize)
        {
            throw new ArgumentException($"A batch of {plaintext.Length} bytes does not fit one {MaxSealedSize}-byte block; make batches smaller.");
        }

        return Aead.Seal(iotKey, AeadNonce.For(AeadNonce.Purpose.Batch, Batch), plaintext, Aad(Patient, Epoch, Batch));
    }

    /// <summary>
    /// Decrypts a sealed batch that an IoT transaction of <paramref name="patient"/> announced for
    /// <paramref name="epoch"/>/<paramref name="batch"/>; a ciphertext moved to another patient, epoch or batch fails
    /// authentication, and the decoded header must agree with the transaction.
    /// </summary>
    /// <exception cref="CryptoException">Wrong key or AAD, or altered ciphertext.</exception>
    /// <exception cref="ProtocolException">The plaintext is malformed or names another patient, epoch or batch.</exception>
    public static IotBatch Open(ReadOnlySpan<byte> sealedBatch, ReadOnlySpan<byte> iotKey, IdentityId patient, uint epoch, ulong batch)
    {
        var plaintext = Aead.Open(iotKey, sealedBatch, Aad(patient, epoch, batch));
        var decoded = Decode(plaintext);
        if (decoded.Patient != patient || decoded.Epoch != epoch || decoded.Batch != batch)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "The batch names another patient, epoch or batch than its transaction.");
        }

        return decoded;
    }

    /// <summary>The AAD binding a batch to its patient, epoch and number.</summary>
    public static byte[] Aad(IdentityId patient, uint epoch, ulong batch) => SealedFrames.Aad("HBB1"u8, patient, epoch, batch);
}
