using CsCheck;

namespace HealthBlock.Crypto.Tests;

public class AeadTests
{
    private static readonly byte[] Aad = "patient|epoch|batch"u8.ToArray();

    [Fact]
    public void Seal_then_open_round_trips_any_plaintext()
    {
        Gen.Byte.Array[0, 4096].Sample(plaintext =>
        {
            var key = Aead.NewKey();
            var sealedMessage = Aead.Seal(key, AeadNonce.For(AeadNonce.Purpose.Batch, 7), plaintext, Aad);
            Assert.Equal(plaintext.Length + Aead.Overhead, sealedMessage.Length);
            Assert.Equal(plaintext, Aead.Open(key, sealedMessage, Aad));
        }, iter: 200);
    }

    [Fact]
    public void Nonce_layout_is_fixed_field_then_counter_big_endian()
    {
        var sealedMessage = Aead.Seal(Aead.NewKey(), AeadNonce.For(AeadNonce.Purpose.Batch, 0x0102030405060708), [], []);
        Assert.Equal(Convert.FromHexString("494f54420102030405060708"), sealedMessage[..12]);
    }

    [Fact]
    public void Wrong_key_fails_with_authentication_error()
    {
        var sealedMessage = Aead.Seal(Aead.NewKey(), AeadNonce.For(AeadNonce.Purpose.Batch, 1), "ecg"u8, Aad);
        var e = Assert.Throws<CryptoException>(() => Aead.Open(Aead.NewKey(), sealedMessage, Aad));
        Assert.Equal(CryptoError.AuthenticationFailed, e.Error);
    }

    [Fact]
    public void Every_flipped_bit_fails_with_authentication_error()
    {
        var key = Aead.NewKey();
        var sealedMessage = Aead.Seal(key, AeadNonce.For(AeadNonce.Purpose.Diagnosis, 3), "findings"u8, Aad);
        for (var bit = 0; bit < sealedMessage.Length * 8; bit++)
        {
            var copy = (byte[])sealedMessage.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            var e = Assert.Throws<CryptoException>(() => Aead.Open(key, copy, Aad));
            Assert.Equal(CryptoError.AuthenticationFailed, e.Error);
        }
    }

    [Fact]
    public void Wrong_aad_fails_with_authentication_error()
    {
        var key = Aead.NewKey();
        var sealedMessage = Aead.Seal(key, AeadNonce.For(AeadNonce.Purpose.Batch, 1), "ecg"u8, "patient-a|1|1"u8);
        var e = Assert.Throws<CryptoException>(() => Aead.Open(key, sealedMessage, "patient-b|1|1"u8));
        Assert.Equal(CryptoError.AuthenticationFailed, e.Error);
    }

    [Fact]
    public void Truncated_input_fails_with_truncated_error()
    {
        var key = Aead.NewKey();
        var sealedMessage = Aead.Seal(key, AeadNonce.For(AeadNonce.Purpose.Batch, 1), "ecg"u8, Aad);
        for (var length = 0; length < Aead.Overhead; length++)
        {
            var e = Assert.Throws<CryptoException>(() => Aead.Open(key, sealedMessage.AsSpan(0, length), Aad));
            Assert.Equal(CryptoError.Truncated, e.Error);
        }

        Assert.Equal(CryptoError.AuthenticationFailed, Assert.Throws<CryptoException>(() => Aead.Open(key, sealedMessage.AsSpan(0, sealedMessage.Length - 1), Aad)).Error);
    }

    [Fact]
    public void Keys_of_the_wrong_size_are_refused()
    {
        var e = Assert.Throws<CryptoException>(() => Aead.Seal(new byte[16], AeadNonce.For(AeadNonce.Purpose.Batch, 1), [], []));
        Assert.Equal(CryptoError.InvalidKey, e.Error);
    }

    [Fact]
    public void Random_at_rest_nonces_differ()
    {
        var nonces = Enumerable.Range(0, 1000).Select(_ => AeadNonce.RandomAtRest()).ToHashSet();
        Assert.Equal(1000, nonces.Count);
    }
}
