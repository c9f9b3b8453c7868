using System.Security.Cryptography;
using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Content;

/// <summary>
/// A content identifier as IPFS makes it for one raw block: CIDv1, multicodec <c>raw</c> (0x55), multihash
/// sha2-256 (0x12, 32 bytes), printed in multibase base32 (<c>b</c> + lowercase RFC 4648, no padding), e.g.
/// <c>bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e</c> for <c>hello world</c>.
/// </summary>
public sealed class Cid : IEquatable<Cid>
{
    /// <summary>Binary size: version, codec, hash code, digest length, 32-byte digest.</summary>
    public const int BinarySize = 36;

    /// <summary>Length of the printed form.</summary>
    public const int StringLength = 59;

    private const byte CidVersion = 0x01;
    private const byte RawCodec = 0x55;
    private const byte Sha256Code = 0x12;
    private const byte DigestSize = 32;

    private readonly byte[] _digest;

    private Cid(byte[] digest) => _digest = digest;

    /// <summary>The SHA-256 digest of the block.</summary>
    public ReadOnlySpan<byte> Digest => _digest;

    /// <summary>Computes the CID of a raw block.</summary>
    public static Cid Compute(ReadOnlySpan<byte> block) => new(SHA256.HashData(block));

    /// <summary>Computes the CID of a stream's bytes taken as one raw block.</summary>
    public static Cid Compute(Stream block) => new(SHA256.HashData(block));

    /// <summary>Wraps a 32-byte SHA-256 digest.</summary>
    public static Cid FromDigest(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != DigestSize)
        {
            throw new ProtocolException(ProtocolError.InvalidCid, $"A sha2-256 digest is 32 bytes, not {digest.Length}.");
        }

        return new(digest.ToArray());
    }

    /// <summary>True when <paramref name="block"/> hashes to this CID.</summary>
    public bool Matches(ReadOnlySpan<byte> block)
    {
        Span<byte> digest = stackalloc byte[DigestSize];
        SHA256.HashData(block, digest);
        return CryptographicOperations.FixedTimeEquals(digest, _digest);
    }

    /// <summary>The binary CID (36 bytes).</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[BinarySize];
        bytes[0] = CidVersion;
        bytes[1] = RawCodec;
        bytes[2] = Sha256Code;
        bytes[3] = DigestSize;
        _digest.CopyTo(bytes, 4);
        return bytes;
    }

    /// <summary>Parses a binary CID.</summary>
    /// <exception cref="ProtocolException">Not a CIDv1 raw sha2-256 CID.</exception>
    public static Cid FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (TryFromBytes(bytes, out var cid, out var error))
        {
            return cid;
        }

        throw new ProtocolException(ProtocolError.InvalidCid, error);
    }

    /// <summary>Parses the printed form.</summary>
    /// <exception cref="ProtocolException">With a message saying what is wrong.</exception>
    public static Cid Parse(string text)
    {
        if (TryParse(text, out var cid, out var error))
        {
            return cid;
        }

        throw new ProtocolException(ProtocolError.InvalidCid, error);
    }

    /// <summary>Tries to parse the printed form; <paramref name="error"/> says why not.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Cid? cid, out string error)
    {
        cid = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "A CID is required.";
            return false;
        }

        if (text.StartsWith("Qm", StringComparison.Ordinal) && text.Length == 46)
        {
            error = $"'{text}' is a CIDv0 (dag-pb); HealthBlock stores raw blocks and uses CIDv1 (bafkrei…).";
            return false;
        }

        if (text[0] != 'b')
        {
            error = $"'{Shorten(text)}' is not a base32 CIDv1: it must start with multibase prefix 'b'.";
            return false;
        }

        if (!Base32.TryDecode(text.AsSpan(1), out var bytes))
        {
            error = $"'{Shorten(text)}' is not valid lowercase base32.";
            return false;
        }

        return TryFromBytes(bytes, out cid, out error);
    }

    private static bool TryFromBytes(ReadOnlySpan<byte> bytes, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Cid? cid, out string error)
    {
        cid = null;
        if (bytes.Length < 4)
        {
            error = $"A CID is {BinarySize} bytes; got {bytes.Length}.";
            return false;
        }

        if (bytes[0] != CidVersion)
        {
            error = $"CID version {bytes[0]} is not supported; only CIDv1.";
            return false;
        }

        if (bytes[1] != RawCodec)
        {
            error = $"CID codec 0x{bytes[1]:x2} is not supported; only raw (0x55).";
            return false;
        }

        if (bytes[2] != Sha256Code || bytes[3] != DigestSize)
        {
            error = $"CID multihash 0x{bytes[2]:x2}/{bytes[3]} is not supported; only sha2-256/32.";
            return false;
        }

        if (bytes.Length != BinarySize)
        {
            error = $"A CID is {BinarySize} bytes; got {bytes.Length}.";
            return false;
        }

        cid = new Cid(bytes[4..].ToArray());
        error = string.Empty;
        return true;
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;

    /// <inheritdoc />
    public override string ToString() => "b" + Base32.Encode(ToBytes());

    /// <inheritdoc />
    public bool Equals(Cid? other) => other is not null && _digest.AsSpan().SequenceEqual(other._digest);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Cid);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(_digest, 0);
}
