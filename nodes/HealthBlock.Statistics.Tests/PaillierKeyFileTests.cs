using HealthBlock.Crypto;
using HealthBlock.Paillier;

namespace HealthBlock.Statistics.Tests;

/// <summary>The Paillier private key at rest: sealed to the statistics identity, never written in the clear.</summary>
public sealed class PaillierKeyFileTests
{
    private static PaillierPrivateKey Key => CohortWorld.SharedKey.Value;

    [Fact]
    public void A_sealed_key_opens_with_its_owner_only_and_holds_no_plaintext_of_the_primes()
    {
        using var owner = IdentityKey.Generate();
        using var other = IdentityKey.Generate();

        var sealedKey = PaillierKeyFile.Seal(Key, owner);

        var opened = PaillierKeyFile.Open(sealedKey, owner);
        Assert.Equal((Key.P, Key.Q), (opened.P, opened.Q));
        Assert.Equal(-1, sealedKey.AsSpan().IndexOf(Key.P.ToByteArray(isUnsigned: true, isBigEndian: true).AsSpan(0, 16)));
        var e = Assert.Throws<CryptoException>(() => PaillierKeyFile.Open(sealedKey, other));
        Assert.Equal(CryptoError.AuthenticationFailed, e.Error);
        Assert.Contains(other.Id.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_altered_byte_or_a_truncated_file_is_refused()
    {
        using var owner = IdentityKey.Generate();
        var sealedKey = PaillierKeyFile.Seal(Key, owner);

        // Every byte of the envelope's tail and a stride through the sealed key, the header and the last byte.
        var positions = Enumerable.Range(0, sealedKey.Length).Where(i => i < 8 || i % 97 == 0 || i == sealedKey.Length - 1);
        foreach (var i in positions)
        {
            var altered = (byte[])sealedKey.Clone();
            altered[i] ^= 0x01;
            Assert.Throws<CryptoException>(() => PaillierKeyFile.Open(altered, owner));
        }

        Assert.Throws<CryptoException>(() => PaillierKeyFile.Open(sealedKey.AsMemory(0, sealedKey.Length - 1), owner));
        Assert.Throws<CryptoException>(() => PaillierKeyFile.Open(PaillierCbor.Encode(Key), owner));
    }

    [Fact]
    public void The_first_run_writes_the_key_sealed_and_owner_only_and_the_next_run_opens_the_same_key()
    {
        using var folder = new TempFolder();
        using var owner = IdentityKey.Generate();

        var (created, first) = PaillierKeyFile.LoadOrCreate(folder.Path, owner, 2048);
        var (opened, second) = PaillierKeyFile.LoadOrCreate(folder.Path, owner, 2048);

        Assert.Equal((PaillierKeySource.Created, PaillierKeySource.Opened), (first, second));
        Assert.Equal(created.PublicKey, opened.PublicKey);
        Assert.Equal(created.P, opened.P);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(PrivateFiles.Mode, File.GetUnixFileMode(folder.Sub(PaillierKeyFile.FileName)));
        }
    }

    [Fact]
    public void A_plaintext_key_of_an_earlier_version_is_sealed_and_its_file_deleted()
    {
        using var folder = new TempFolder();
        using var owner = IdentityKey.Generate();
        using var other = IdentityKey.Generate();
        File.WriteAllBytes(folder.Sub(PaillierKeyFile.PlaintextFileName), PaillierCbor.Encode(Key));

        var (key, source) = PaillierKeyFile.LoadOrCreate(folder.Path, owner, 2048);

        Assert.Equal(PaillierKeySource.SealedFromPlaintext, source);
        Assert.Equal(Key.P, key.P);
        Assert.False(File.Exists(folder.Sub(PaillierKeyFile.PlaintextFileName)));
        Assert.Equal(Key.P, PaillierKeyFile.Open(File.ReadAllBytes(folder.Sub(PaillierKeyFile.FileName)), owner).P);
        Assert.Throws<CryptoException>(() => PaillierKeyFile.LoadOrCreate(folder.Path, other, 2048));
    }

    [Fact]
    public void A_damaged_plaintext_key_of_an_earlier_version_is_refused_by_name_and_left_in_place()
    {
        using var folder = new TempFolder();
        using var owner = IdentityKey.Generate();
        File.WriteAllBytes(folder.Sub(PaillierKeyFile.PlaintextFileName), [0xa1, 0x00, 0x02]);

        var e = Assert.Throws<CryptoException>(() => PaillierKeyFile.LoadOrCreate(folder.Path, owner, 2048));

        Assert.Contains(PaillierKeyFile.PlaintextFileName, e.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(folder.Sub(PaillierKeyFile.PlaintextFileName)));
        Assert.False(File.Exists(folder.Sub(PaillierKeyFile.FileName)));
    }
}
