using System.Security.Cryptography;

namespace HealthBlock.Crypto;

/// <summary>
/// The short printable id of an identity: the first 20 bytes of SHA-256 of its signing public key
/// (SEC1 uncompressed point), printed as 32 lowercase base32 characters.
/// </summary>
public readonly struct IdentityId : IEquatable<IdentityId>, IComparable<IdentityId>
{
    /// <summary>Size of an id in bytes.</summary>
    public const int Size = 20;

    private readonly byte[]? _bytes;

    private IdentityId(byte[] bytes) => _bytes = bytes;

    /// <summary>The raw 20 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? new byte[Size];

    /// <summary>Derives the id of a signing public key.</summary>
    public static IdentityId FromSigningKey(ReadOnlySpan<byte> signingPublicKey) =>
        new(SHA256.HashData(signingPublicKey)[..Size]);

    /// <summary>Wraps 20 raw bytes.</summary>
    public static IdentityId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new CryptoException(CryptoError.InvalidArgument, $"An identity id is {Size} bytes, not {bytes.Length}.");
        }

        return new(bytes.ToArray());
    }

    /// <summary>Parses the printable form.</summary>
    public static IdentityId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new CryptoException(CryptoError.InvalidArgument, $"'{text}' is not an identity id (32 lowercase base32 characters).");

    /// <summary>Tries to parse the printable form.</summary>
    public static bool TryParse(string? text, out IdentityId id)
    {
        id = default;
        if (text is null || text.Length != 32 || !Base32.TryDecode(text, out var bytes) || bytes.Length != Size)
        {
            return false;
        }

        id = new(bytes);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Base32.Encode(Bytes);

    /// <inheritdoc />
    public bool Equals(IdentityId other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is IdentityId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = default(HashCode);
        h.AddBytes(Bytes);
        return h.ToHashCode();
    }

    /// <inheritdoc />
    public int CompareTo(IdentityId other) => Bytes.SequenceCompareTo(other.Bytes);

    /// <summary>Equality.</summary>
    public static bool operator ==(IdentityId left, IdentityId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(IdentityId left, IdentityId right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(IdentityId left, IdentityId right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(IdentityId left, IdentityId right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(IdentityId left, IdentityId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(IdentityId left, IdentityId right) => left.CompareTo(right) >= 0;
}
