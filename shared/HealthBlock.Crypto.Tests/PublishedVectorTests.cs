using System.Security.Cryptography;

namespace HealthBlock.Crypto.Tests;

public class PublishedVectorTests
{
    public static TheoryData<int> HmacCases() => [.. Vectors.Load<HmacVector>("hmac-sha256-rfc4231.json").Select(v => v.Case)];

    public static TheoryData<int> HkdfCases() => [.. Vectors.Load<HkdfVector>("hkdf-sha256-rfc5869.json").Select(v => v.Case)];

    public static TheoryData<int> GcmCases() => [.. Vectors.Load<GcmVector>("aes-256-gcm-nist.json").Select(v => v.Case)];

    [Theory]
    [MemberData(nameof(HmacCases))]
    public void Hmac_sha256_matches_rfc4231(int @case)
    {
        var v = Vectors.Load<HmacVector>("hmac-sha256-rfc4231.json").Single(x => x.Case == @case);
        var key = Vectors.Hex(v.Key);
        var data = Vectors.Hex(v.Data);
        var expected = Vectors.Hex(v.Mac);

        Assert.Equal(expected, HMACSHA256.HashData(key, data)[..expected.Length]);
        if (key.Length == DeviceMac.KeySize)
        {
            Assert.True(DeviceMac.Verify(key, data, expected));
        }
    }

    [Theory]
    [MemberData(nameof(HkdfCases))]
    public void Hkdf_sha256_matches_rfc5869(int @case)
    {
        var v = Vectors.Load<HkdfVector>("hkdf-sha256-rfc5869.json").Single(x => x.Case == @case);
        var ikm = Vectors.Hex(v.Ikm);
        var salt = Vectors.Hex(v.Salt);
        var info = Vectors.Hex(v.Info);

        Assert.Equal(Vectors.Hex(v.Prk), HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt));
        Assert.Equal(Vectors.Hex(v.Okm), HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, v.Length, salt, info));
    }

    [Theory]
    [MemberData(nameof(GcmCases))]
    public void Aes256_gcm_matches_the_gcm_specification(int @case)
    {
        var v = Vectors.Load<GcmVector>("aes-256-gcm-nist.json").Single(x => x.Case == @case);
        var output = Aead.EncryptWithNonce(Vectors.Hex(v.Key), Vectors.Hex(v.Iv), Vectors.Hex(v.Plaintext), Vectors.Hex(v.Aad));

        Assert.Equal(Vectors.Hex(v.Ciphertext + v.Tag), output);
    }

    [Fact]
    public void Aead_open_reads_a_published_vector_once_the_nonce_travels_with_it()
    {
        var v = Vectors.Load<GcmVector>("aes-256-gcm-nist.json").Single(x => x.Case == 16);
        var sealedMessage = Vectors.Hex(v.Iv + v.Ciphertext + v.Tag);

        Assert.Equal(Vectors.Hex(v.Plaintext), Aead.Open(Vectors.Hex(v.Key), sealedMessage, Vectors.Hex(v.Aad)));
    }
}
