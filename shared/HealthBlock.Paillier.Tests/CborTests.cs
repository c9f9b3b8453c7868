using System.Formats.Cbor;
using System.Numerics;
using HealthBlock.Paillier;

namespace HealthBlock.Paillier.Tests;

public sealed class CborTests
{
    private static PaillierPrivateKey Key => TestKeys.Key2048;

    [Fact]
    public void A_public_key_round_trips_and_its_encoding_is_canonical_and_stable()
    {
        var encoded = PaillierCbor.Encode(Key.PublicKey);
        Assert.Equal(Key.PublicKey, PaillierCbor.DecodePublicKey(encoded));
        Assert.Equal(encoded, PaillierCbor.Encode(PaillierCbor.DecodePublicKey(encoded)));

        // {0: 1, 1: h'…'}: a two-field map, kind 1, then n as a 256-byte string.
        Assert.Equal(new byte[] { 0xA2, 0x00, 0x01, 0x01, 0x59, 0x01, 0x00 }, encoded[..7]);
        Assert.Equal(Key.PublicKey.N.ToByteArray(isUnsigned: true, isBigEndian: true), encoded[7..]);
    }

    [Fact]
    public void A_private_key_round_trips_through_every_key_check()
    {
        var decoded = PaillierCbor.DecodePrivateKey(PaillierCbor.Encode(Key));
        Assert.Equal(Key.P, decoded.P);
        Assert.Equal(Key.Q, decoded.Q);
        Assert.Equal(31337, decoded.Decrypt(Key.PublicKey.Encrypt(31337)));
    }

    [Fact]
    public void A_ciphertext_round_trips_under_its_key_and_carries_the_keys_fingerprint()
    {
        var c = Key.PublicKey.Encrypt(7);
        var encoded = PaillierCbor.Encode(c);
        var decoded = PaillierCbor.DecodeCiphertext(encoded, Key.PublicKey);
        Assert.Equal(c, decoded);
        Assert.Equal(7, Key.Decrypt(decoded));
        Assert.True(encoded.AsSpan().IndexOf(Key.PublicKey.Fingerprint) > 0);
    }

    [Fact]
    public void A_ciphertext_is_refused_under_another_key()
    {
        var encoded = PaillierCbor.Encode(Key.PublicKey.Encrypt(7));
        var e = Assert.Throws<PaillierException>(() => PaillierCbor.DecodeCiphertext(encoded, TestKeys.OtherKey2048.PublicKey));
        Assert.Equal(PaillierError.InvalidCiphertext, e.Error);
        Assert.Contains("fingerprint", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_encoded_ciphertext_tampered_out_of_range_or_onto_a_factor_of_n_is_refused()
    {
        foreach (var value in new[] { Key.PublicKey.NSquared, Key.PublicKey.NSquared + 1, Key.P })
        {
            var tampered = Map(w =>
            {
                Field(w, 0, 3);
                w.WriteUInt32(4);
                w.WriteByteString(Key.PublicKey.Fingerprint);
                w.WriteUInt32(5);
                w.WriteByteString(value.ToByteArray(isUnsigned: true, isBigEndian: true));
            }, 3);
            var e = Assert.Throws<PaillierException>(() => PaillierCbor.DecodeCiphertext(tampered, Key.PublicKey));
            Assert.Equal(PaillierError.InvalidCiphertext, e.Error);
        }
    }

    public static TheoryData<string> Malformed => new()
    {
        "leading zero byte", "empty integer", "wrong kind", "extra field", "missing field", "unsorted fields",
        "trailing bytes", "indefinite map", "text instead of bytes", "not cbor", "empty input",
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Non_canonical_or_malformed_public_keys_are_refused(string how)
    {
        var n = Key.PublicKey.N.ToByteArray(isUnsigned: true, isBigEndian: true);
        var bytes = how switch
        {
            "leading zero byte" => Map(w => { Field(w, 0, 1); Bytes(w, 1, [0, .. n]); }, 2),
            "empty integer" => Map(w => { Field(w, 0, 1); Bytes(w, 1, []); }, 2),
            "wrong kind" => Map(w => { Field(w, 0, 2); Bytes(w, 1, n); }, 2),
            "extra field" => Map(w => { Field(w, 0, 1); Bytes(w, 1, n); Field(w, 9, 0); }, 3),
            "missing field" => Map(w => Field(w, 0, 1), 1),
            "unsorted fields" => Lax(w => { w.WriteStartMap(2); Bytes(w, 1, n); Field(w, 0, 1); w.WriteEndMap(); }),
            "trailing bytes" => [.. PaillierCbor.Encode(Key.PublicKey), 0x00],
            "indefinite map" => Lax(w => { w.WriteStartMap(null); Field(w, 0, 1); Bytes(w, 1, n); w.WriteEndMap(); }),
            "text instead of bytes" => Map(w => { Field(w, 0, 1); w.WriteUInt32(1); w.WriteTextString("12345"); }, 2),
            "not cbor" => [0xFF, 0x00, 0x13],
            _ => [],
        };
        var e = Assert.Throws<PaillierException>(() => PaillierCbor.DecodePublicKey(bytes));
        Assert.Equal(PaillierError.MalformedEncoding, e.Error);
    }

    [Fact]
    public void A_private_key_with_primes_out_of_order_or_a_composite_prime_is_refused()
    {
        var swapped = Map(w => { Field(w, 0, 2); Bytes(w, 2, Minimal(Key.Q)); Bytes(w, 3, Minimal(Key.P)); }, 3);
        Assert.Equal(PaillierError.MalformedEncoding, Assert.Throws<PaillierException>(() => PaillierCbor.DecodePrivateKey(swapped)).Error);

        var composite = Map(w => { Field(w, 0, 2); Bytes(w, 2, Minimal(Key.P + 2)); Bytes(w, 3, Minimal(Key.Q)); }, 3);
        Assert.Equal(PaillierError.WeakKey, Assert.Throws<PaillierException>(() => PaillierCbor.DecodePrivateKey(composite)).Error);
    }

    [Fact]
    public void A_public_key_below_the_minimum_size_is_refused_when_decoded()
    {
        var small = PaillierCbor.Encode(TestKeys.Small.PublicKey);
        Assert.Equal(PaillierError.WeakKey, Assert.Throws<PaillierException>(() => PaillierCbor.DecodePublicKey(small)).Error);
        Assert.Equal(TestKeys.Small.PublicKey, PaillierCbor.DecodePublicKey(small, KeyPolicy.TestOnlySmallKeys));
    }

    private static byte[] Minimal(BigInteger value) => value.ToByteArray(isUnsigned: true, isBigEndian: true);

    private static void Field(CborWriter writer, uint field, uint value)
    {
        writer.WriteUInt32(field);
        writer.WriteUInt32(value);
    }

    private static void Bytes(CborWriter writer, uint field, byte[] value)
    {
        writer.WriteUInt32(field);
        writer.WriteByteString(value);
    }

    private static byte[] Map(Action<CborWriter> fields, int count) => Lax(w =>
    {
        w.WriteStartMap(count);
        fields(w);
        w.WriteEndMap();
    });

    private static byte[] Lax(Action<CborWriter> write)
    {
        var writer = new CborWriter(CborConformanceMode.Lax, convertIndefiniteLengthEncodings: false);
        write(writer);
        return writer.Encode();
    }
}
