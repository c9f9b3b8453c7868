using System.Buffers.Binary;
using System.Security.Cryptography;

namespace HealthBlock.Crypto;

/// <summary>
/// A 96-bit AES-GCM nonce built the deterministic way of NIST SP 800-38D §8.2.1: a 32-bit fixed field naming
/// the purpose (one per key user) followed by a 64-bit invocation counter. Under one key each (purpose, counter)
/// pair is used at most once by its single writer, so nonces cannot repeat:
/// <list type="bullet">
/// <item><see cref="Purpose.Batch"/>: IoT key of one epoch; only the patient's gateway writes; counter = batch number,
/// assigned once and persisted before encryption (re-sealing a batch after a crash encrypts the same bytes).</item>
/// <item><see cref="Purpose.Live"/>: IoT key of one epoch; only the patient's gateway writes; counter = the live
/// sequence number of the epoch, taken in the same durable transaction that stores the sealed sub-batch (a fresh key per
/// epoch, so the counter starts again at 1 without any (key, nonce) pair repeating; a domain of its own, so it can never
/// collide with a <see cref="Purpose.Batch"/> nonce under the same key).</item>
/// <item><see cref="Purpose.Diagnosis"/>: one doctor's diagnosis key; only that doctor writes; counter = the doctor's
/// persisted diagnosis number.</item>
/// <item><see cref="Purpose.Envelope"/>: a key derived from a fresh ephemeral ECDH key for each envelope; counter 0.</item>
/// <item><see cref="Purpose.AtRest"/>: local key stores; the counter is 64 random bits (used a handful of times per key).</item>
/// </list>
/// </summary>
public readonly struct AeadNonce : IEquatable<AeadNonce>
{
    /// <summary>Nonce size in bytes.</summary>
    public const int Size = 12;

    private readonly ulong _counter;

    private AeadNonce(Purpose purpose, ulong counter)
    {
        FixedField = purpose;
        _counter = counter;
    }

    /// <summary>The fixed field values; each names the one writer of a kind of key.</summary>
    public enum Purpose : uint
    {
        /// <summary>IoT batches ("IOTB").</summary>
        Batch = 0x494F5442,

        /// <summary>Live sub-batches of IoT frames ("IOTL").</summary>
        Live = 0x494F544C,

        /// <summary>Diagnosis documents ("DIAG").</summary>
        Diagnosis = 0x44494147,

        /// <summary>Digital envelopes ("ENVL").</summary>
        Envelope = 0x454E564C,

        /// <summary>Local encrypted files ("REST").</summary>
        AtRest = 0x52455354,
    }

    /// <summary>The fixed field.</summary>
    public Purpose FixedField { get; }

    /// <summary>The invocation counter.</summary>
    public ulong Counter => _counter;

    /// <summary>A nonce for the given purpose and counter.</summary>
    public static AeadNonce For(Purpose purpose, ulong counter) => new(purpose, counter);

    /// <summary>Reads a nonce from its 12 bytes (the first bytes of a sealed message); null when the fixed field is none of <see cref="Purpose"/>.</summary>
    public static AeadNonce? Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
        {
            return null;
        }

        var purpose = (Purpose)BinaryPrimitives.ReadUInt32BigEndian(source);
        return Enum.IsDefined(purpose) ? new AeadNonce(purpose, BinaryPrimitives.ReadUInt64BigEndian(source[4..])) : null;
    }

    /// <summary>An at-rest nonce with a random counter.</summary>
    public static AeadNonce RandomAtRest()
    {
        Span<byte> r = stackalloc byte[8];
        RandomNumberGenerator.Fill(r);
        return new(Purpose.AtRest, BinaryPrimitives.ReadUInt64BigEndian(r));
    }

    /// <summary>Writes the 12 nonce bytes (big-endian fixed field, then big-endian counter).</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)FixedField);
        BinaryPrimitives.WriteUInt64BigEndian(destination[4..], _counter);
    }

    /// <inheritdoc />
    public bool Equals(AeadNonce other) => FixedField == other.FixedField && _counter == other._counter;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AeadNonce n && Equals(n);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(FixedField, _counter);

    /// <summary>Equality.</summary>
    public static bool operator ==(AeadNonce left, AeadNonce right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(AeadNonce left, AeadNonce right) => !left.Equals(right);
}
