using System.Text;

namespace HealthBlock.Crypto.Tests;

public class IdentityAndEnvelopeTests
{
    private static readonly byte[] Digest = System.Security.Cryptography.SHA256.HashData("tx body"u8);

    [Fact]
    public void Signatures_verify_only_for_the_signer_and_the_digest()
    {
        using var alice = IdentityKey.Generate();
        using var bob = IdentityKey.Generate();
        var signature = alice.Sign(Digest);

        Assert.Equal(PublicIdentity.SignatureSize, signature.Length);
        Assert.True(alice.Public.Verify(Digest, signature));
        Assert.False(bob.Public.Verify(Digest, signature));
        var other = (byte[])Digest.Clone();
        other[0] ^= 1;
        Assert.False(alice.Public.Verify(other, signature));
        signature[10] ^= 1;
        Assert.False(alice.Public.Verify(Digest, signature));
    }

    [Fact]
    public void Identity_ids_are_short_printable_and_parse_back()
    {
        using var key = IdentityKey.Generate();
        var text = key.Id.ToString();

        Assert.Equal(32, text.Length);
        Assert.Matches("^[a-z2-7]{32}$", text);
        Assert.Equal(key.Id, IdentityId.Parse(text));
        Assert.Equal(key.Id, IdentityId.FromSigningKey(key.Public.SigningKey));
        Assert.False(IdentityId.TryParse(text.ToUpperInvariant(), out _));
        Assert.False(IdentityId.TryParse(text[..31], out _));
        Assert.Throws<CryptoException>(() => IdentityId.Parse("not-an-id"));
    }

    [Fact]
    public void Public_keys_that_are_not_points_on_p256_are_refused()
    {
        using var key = IdentityKey.Generate();
        var bad = key.Public.SigningKey.ToArray();
        bad[40] ^= 0xFF;

        Assert.Equal(CryptoError.InvalidKey, Assert.Throws<CryptoException>(() => new PublicIdentity(bad, key.Public.EncryptionKey)).Error);
        Assert.Equal(CryptoError.InvalidKey, Assert.Throws<CryptoException>(() => new PublicIdentity(new byte[33], key.Public.EncryptionKey)).Error);
    }

    [Fact]
    public void Envelope_opens_for_its_recipient_epoch_and_purpose()
    {
        using var doctor = IdentityKey.Generate();
        var iotKey = Aead.NewKey();

        var envelope = Envelope.Seal(doctor.Public, 3, EnvelopePurpose.IotKey, iotKey);

        Assert.Equal(Envelope.Overhead + iotKey.Length, envelope.Length);
        Assert.Equal(iotKey, Envelope.Open(doctor, 3, EnvelopePurpose.IotKey, envelope));
    }

    [Fact]
    public void Envelope_opened_with_the_wrong_key_fails_cleanly()
    {
        using var doctor = IdentityKey.Generate();
        using var other = IdentityKey.Generate();
        var envelope = Envelope.Seal(doctor.Public, 3, EnvelopePurpose.IotKey, Aead.NewKey());

        Assert.Equal(CryptoError.AuthenticationFailed, Assert.Throws<CryptoException>(() => Envelope.Open(other, 3, EnvelopePurpose.IotKey, envelope)).Error);
    }

    [Fact]
    public void Envelope_bound_to_epoch_and_purpose()
    {
        using var doctor = IdentityKey.Generate();
        var envelope = Envelope.Seal(doctor.Public, 3, EnvelopePurpose.IotKey, Aead.NewKey());

        Assert.Equal(CryptoError.AuthenticationFailed, Assert.Throws<CryptoException>(() => Envelope.Open(doctor, 4, EnvelopePurpose.IotKey, envelope)).Error);
        Assert.Equal(CryptoError.AuthenticationFailed, Assert.Throws<CryptoException>(() => Envelope.Open(doctor, 3, EnvelopePurpose.DiagnosisKey, envelope)).Error);
    }

    [Fact]
    public void Envelope_with_flipped_bits_or_truncated_fails_cleanly()
    {
        using var doctor = IdentityKey.Generate();
        var envelope = Envelope.Seal(doctor.Public, 1, EnvelopePurpose.DiagnosisKey, Aead.NewKey());
        for (var i = 0; i < envelope.Length; i++)
        {
            var copy = (byte[])envelope.Clone();
            copy[i] ^= 0x01;
            Assert.Throws<CryptoException>(() => Envelope.Open(doctor, 1, EnvelopePurpose.DiagnosisKey, copy));
        }

        for (var length = 0; length < Envelope.Overhead; length++)
        {
            Assert.Equal(CryptoError.Truncated, Assert.Throws<CryptoException>(() => Envelope.Open(doctor, 1, EnvelopePurpose.DiagnosisKey, envelope.AsSpan(0, length))).Error);
        }
    }

    [Fact]
    public void Two_envelopes_of_the_same_key_differ()
    {
        using var doctor = IdentityKey.Generate();
        var key = Aead.NewKey();
        Assert.NotEqual(Envelope.Seal(doctor.Public, 1, EnvelopePurpose.IotKey, key), Envelope.Seal(doctor.Public, 1, EnvelopePurpose.IotKey, key));
    }

    [Fact]
    public void Key_file_round_trips_and_holds_no_plaintext_key()
    {
        using var key = IdentityKey.Generate();
        var text = KeyFile.Export(key, "doctor", "correct horse", iterations: 1000);

        Assert.DoesNotContain("BEGIN PRIVATE KEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN EC PRIVATE KEY", text, StringComparison.Ordinal);
        Assert.Equal("doctor", KeyFile.ReadRole(text));
        using var back = KeyFile.Import(text, "correct horse");
        Assert.Equal(key.Id, back.Id);
        Assert.Equal(key.Public.EncryptionKey.ToArray(), back.Public.EncryptionKey.ToArray());
        Assert.True(key.Public.Verify(Digest, back.Sign(Digest)));
    }

    [Fact]
    public void Key_file_with_default_kdf_cost_round_trips()
    {
        using var key = IdentityKey.Generate();
        var path = Path.Combine(Path.GetTempPath(), $"hb-key-{Guid.NewGuid():N}.pem");
        try
        {
            KeyFile.Write(path, key, "patient", "pass phrase");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            Assert.Contains($"# id: {key.Id}", File.ReadAllText(path), StringComparison.Ordinal);
            using var back = KeyFile.Read(path, "pass phrase");
            Assert.Equal(key.Id, back.Id);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Key_file_with_wrong_passphrase_or_damage_fails_with_key_file_error()
    {
        using var key = IdentityKey.Generate();
        var text = KeyFile.Export(key, "admin", "right", iterations: 1000);

        Assert.Equal(CryptoError.KeyFile, Assert.Throws<CryptoException>(() => KeyFile.Import(text, "wrong")).Error);
        var damaged = new StringBuilder(text);
        var at = text.IndexOf("-----END", StringComparison.Ordinal) - 20;
        damaged[at] = damaged[at] == 'A' ? 'B' : 'A';
        Assert.Equal(CryptoError.KeyFile, Assert.Throws<CryptoException>(() => KeyFile.Import(damaged.ToString(), "right")).Error);
        Assert.Equal(CryptoError.KeyFile, Assert.Throws<CryptoException>(() => KeyFile.Import("garbage", "right")).Error);
        Assert.Equal(CryptoError.KeyFile, Assert.Throws<CryptoException>(() => KeyFile.Export(key, "admin", "")).Error);
    }
}
