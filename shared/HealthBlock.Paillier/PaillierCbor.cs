using System.Formats.Cbor;
using System.Numerics;

namespace HealthBlock.Paillier;

/// <summary>
/// Canonical CBOR (RFC 8949 section 4.2, <see cref="CborConformanceMode.Canonical"/>) encodings of keys and
/// ciphertexts: a definite-length map with small unsigned integer keys in ascending order, field 0 naming the
/// kind, and every big integer as a byte string holding its unsigned big-endian minimal form (no leading zero).
/// <code>
/// public key:  { 0: 1, 1: n }
/// private key: { 0: 2, 2: p, 3: q }            (p &gt; q; plaintext: protect it at rest yourself)
/// ciphertext:  { 0: 3, 4: key fingerprint (16 bytes), 5: c }
/// </code>
/// Decoding refuses anything else: another kind, missing, extra, duplicate or unsorted fields, non-minimal
/// integers, trailing bytes, and then the values themselves (key checks, 0 &lt; c &lt; n², gcd(c, n) = 1).
/// </summary>
public static class PaillierCbor
{
    private const int KindField = 0;
    private const int NField = 1;
    private const int PField = 2;
    private const int QField = 3;
    private const int FingerprintField = 4;
    private const int CiphertextField = 5;

    private const int PublicKeyKind = 1;
    private const int PrivateKeyKind = 2;
    private const int CiphertextKind = 3;

    /// <summary>Encodes a public key.</summary>
    public static byte[] Encode(PaillierPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var writer = Start(2, PublicKeyKind);
        WriteInteger(writer, NField, key.N);
        return Finish(writer);
    }

    /// <summary>Encodes a private key (its primes; n follows from them).</summary>
    public static byte[] Encode(PaillierPrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var writer = Start(3, PrivateKeyKind);
        WriteInteger(writer, PField, key.P);
        WriteInteger(writer, QField, key.Q);
        return Finish(writer);
    }

    /// <summary>Encodes a ciphertext with its key's fingerprint.</summary>
    public static byte[] Encode(PaillierCiphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var writer = Start(3, CiphertextKind);
        writer.WriteUInt32(FingerprintField);
        writer.WriteByteString(ciphertext.Key.Fingerprint);
        WriteInteger(writer, CiphertextField, ciphertext.Value);
        return Finish(writer);
    }

    /// <summary>Decodes a public key; refuses non-canonical input and keys below <see cref="PaillierKeySize.Minimum"/> bits.</summary>
    public static PaillierPublicKey DecodePublicKey(ReadOnlyMemory<byte> encoded) => DecodePublicKey(encoded, KeyPolicy.Production);

    /// <summary>Decodes a private key and runs every key check on its primes (64 Miller–Rabin rounds each).</summary>
    public static PaillierPrivateKey DecodePrivateKey(ReadOnlyMemory<byte> encoded) => DecodePrivateKey(encoded, KeyPolicy.Production);

    /// <summary>Decodes a ciphertext under <paramref name="key"/>; refuses another key's fingerprint and invalid values.</summary>
    public static PaillierCiphertext DecodeCiphertext(ReadOnlyMemory<byte> encoded, PaillierPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Read(encoded, CiphertextKind, 3, reader =>
        {
            ExpectField(reader, FingerprintField);
            var fingerprint = reader.ReadByteString();
            if (!key.Fingerprint.SequenceEqual(fingerprint))
            {
                throw new PaillierException(PaillierError.InvalidCiphertext, "The ciphertext names another key's fingerprint.");
            }

            return key.ToCiphertext(ReadInteger(reader, CiphertextField));
        });
    }

    internal static PaillierPublicKey DecodePublicKey(ReadOnlyMemory<byte> encoded, KeyPolicy policy) =>
        Read(encoded, PublicKeyKind, 2, reader => new PaillierPublicKey(ReadInteger(reader, NField), policy));

    internal static PaillierPrivateKey DecodePrivateKey(ReadOnlyMemory<byte> encoded, KeyPolicy policy) =>
        Read(encoded, PrivateKeyKind, 3, reader =>
        {
            var p = ReadInteger(reader, PField);
            var q = ReadInteger(reader, QField);
            if (p <= q)
            {
                throw new PaillierException(PaillierError.MalformedEncoding, "A private key encoding holds p > q, in that order.");
            }

            return PaillierPrivateKey.FromPrimes(p, q, policy);
        });

    private static CborWriter Start(int fields, int kind)
    {
        var writer = new CborWriter(CborConformanceMode.Canonical);
        writer.WriteStartMap(fields);
        writer.WriteUInt32(KindField);
        writer.WriteUInt32((uint)kind);
        return writer;
    }

    private static byte[] Finish(CborWriter writer)
    {
        writer.WriteEndMap();
        return writer.Encode();
    }

    private static void WriteInteger(CborWriter writer, int field, BigInteger value)
    {
        writer.WriteUInt32((uint)field);
        writer.WriteByteString(BigMath.ToMinimalBytes(value));
    }

    private static T Read<T>(ReadOnlyMemory<byte> encoded, int kind, int fields, Func<CborReader, T> body)
    {
        T result;
        try
        {
            var reader = new CborReader(encoded, CborConformanceMode.Canonical);
            if (reader.ReadStartMap() != fields)
            {
                throw Malformed($"expected a map of {fields} fields");
            }

            ExpectField(reader, KindField);
            if (reader.ReadUInt32() != kind)
            {
                throw Malformed($"expected kind {kind}");
            }

            result = body(reader);
            reader.ReadEndMap();
            if (reader.BytesRemaining != 0)
            {
                throw Malformed($"{reader.BytesRemaining} bytes follow the map");
            }
        }
        catch (CborContentException e)
        {
            throw Malformed(e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            throw Malformed(e.Message, e);
        }
        catch (OverflowException e)
        {
            throw Malformed(e.Message, e);
        }

        return result;
    }

    private static void ExpectField(CborReader reader, int field)
    {
        if (reader.PeekState() != CborReaderState.UnsignedInteger || reader.ReadUInt32() != field)
        {
            throw Malformed($"expected field {field}");
        }
    }

    private static BigInteger ReadInteger(CborReader reader, int field)
    {
        ExpectField(reader, field);
        return BigMath.FromMinimalBytes(reader.ReadByteString())
            ?? throw Malformed($"field {field} is not a positive integer in minimal big-endian bytes");
    }

    private static PaillierException Malformed(string why, Exception? inner = null) =>
        new(PaillierError.MalformedEncoding, $"Not a canonical HealthBlock Paillier encoding: {why}.", inner);
}
