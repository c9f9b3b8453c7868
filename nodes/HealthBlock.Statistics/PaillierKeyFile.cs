using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using HealthBlock.Crypto;
using HealthBlock.Paillier;

namespace HealthBlock.Statistics;

/// <summary>
/// The statistics node's Paillier private key at rest, protected the way the gateway and the doctor protect their
/// secrets: AES-256-GCM (random <c>REST</c> nonce) under a random local key that is stored only as an envelope sealed to
/// the statistics identity's own encryption key (<see cref="EnvelopePurpose.LocalKey"/>, epoch 0). Opening it takes the
/// identity's key file and that file's passphrase, so the data folder alone reveals nothing. The AAD binds the identity
/// id, so a file cannot be passed off as another identity's. The file is canonical CBOR
/// <c>{0: 1, 1: envelope, 2: sealed key}</c>, written owner-only.
/// </summary>
public static class PaillierKeyFile
{
    /// <summary>The sealed key's file name in the node's data folder.</summary>
    public const string FileName = "statistics-paillier.sealed";

    /// <summary>The plaintext key file earlier versions wrote; a node that finds one seals it and deletes it.</summary>
    public const string PlaintextFileName = "statistics-paillier.cbor";

    private const int Version = 1;

    /// <summary>Seals <paramref name="key"/> to <paramref name="owner"/>.</summary>
    public static byte[] Seal(PaillierPrivateKey key, IdentityKey owner)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(owner);
        var local = Aead.NewKey();
        try
        {
            var w = new CborWriter(CborConformanceMode.Canonical);
            w.WriteStartMap(3);
            w.WriteInt32(0);
            w.WriteInt32(Version);
            w.WriteInt32(1);
            w.WriteByteString(Envelope.Seal(owner.Public, 0, EnvelopePurpose.LocalKey, local));
            w.WriteInt32(2);
            w.WriteByteString(Aead.Seal(local, AeadNonce.RandomAtRest(), PaillierCbor.Encode(key), Label(owner.Id)));
            w.WriteEndMap();
            return w.Encode();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(local);
        }
    }

    /// <summary>Opens a sealed key with its owner's identity.</summary>
    /// <exception cref="CryptoException">The file is not a sealed key, is sealed to another identity, or was altered.</exception>
    public static PaillierPrivateKey Open(ReadOnlyMemory<byte> file, IdentityKey owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        byte[] envelope, sealedKey;
        try
        {
            var r = new CborReader(file, CborConformanceMode.Canonical);
            if (r.ReadStartMap() != 3 || r.ReadInt32() != 0 || r.ReadInt32() != Version || r.ReadInt32() != 1)
            {
                throw new CryptoException(CryptoError.KeyFile, "Not a sealed Paillier key of version 1.");
            }

            envelope = r.ReadByteString();
            if (r.ReadInt32() != 2)
            {
                throw new CryptoException(CryptoError.KeyFile, "A sealed Paillier key holds an envelope, then the sealed key.");
            }

            sealedKey = r.ReadByteString();
            r.ReadEndMap();
            if (r.BytesRemaining != 0)
            {
                throw new CryptoException(CryptoError.KeyFile, "Trailing bytes after the sealed Paillier key.");
            }
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException)
        {
            throw new CryptoException(CryptoError.KeyFile, $"Not a sealed Paillier key: {e.Message}", e);
        }

        byte[] local;
        try
        {
            local = Envelope.Open(owner, 0, EnvelopePurpose.LocalKey, envelope);
        }
        catch (CryptoException e)
        {
            throw new CryptoException(CryptoError.AuthenticationFailed, $"The Paillier key is not sealed to statistics identity {owner.Id} (or was altered).", e);
        }

        byte[] plaintext;
        try
        {
            plaintext = Aead.Open(local, sealedKey, Label(owner.Id));
        }
        catch (CryptoException e)
        {
            throw new CryptoException(CryptoError.AuthenticationFailed, $"The sealed Paillier key of statistics identity {owner.Id} was altered.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(local);
        }

        try
        {
            return PaillierCbor.DecodePrivateKey(plaintext);
        }
        catch (PaillierException e)
        {
            throw new CryptoException(CryptoError.KeyFile, $"The sealed Paillier key does not decode: {e.Message}", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// The node's key from <paramref name="folder"/>: opened from <see cref="FileName"/>; else a plaintext key of an
    /// earlier version (<see cref="PlaintextFileName"/>) sealed, written and the plaintext file deleted; else a new key of
    /// <paramref name="bits"/> bits generated and written sealed.
    /// </summary>
    /// <exception cref="CryptoException">The sealed file does not open with <paramref name="owner"/>, or a plaintext key does not decode.</exception>
    /// <exception cref="PaillierException"><paramref name="bits"/> is refused (a new key only).</exception>
    public static (PaillierPrivateKey Key, PaillierKeySource Source) LoadOrCreate(string folder, IdentityKey owner, int bits)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var path = Path.Combine(folder, FileName);
        if (File.Exists(path))
        {
            return (Open(File.ReadAllBytes(path), owner), PaillierKeySource.Opened);
        }

        var plaintextPath = Path.Combine(folder, PlaintextFileName);
        if (File.Exists(plaintextPath))
        {
            PaillierPrivateKey existing;
            try
            {
                existing = PaillierCbor.DecodePrivateKey(File.ReadAllBytes(plaintextPath));
            }
            catch (PaillierException e)
            {
                throw new CryptoException(CryptoError.KeyFile, $"The plaintext Paillier key {PlaintextFileName} does not decode: {e.Message}", e);
            }

            PrivateFiles.WriteAllBytes(path, Seal(existing, owner), overwrite: false);
            File.Delete(plaintextPath);
            return (existing, PaillierKeySource.SealedFromPlaintext);
        }

        var key = PaillierPrivateKey.Generate(bits);
        PrivateFiles.WriteAllBytes(path, Seal(key, owner), overwrite: false);
        return (key, PaillierKeySource.Created);
    }

    private static byte[] Label(IdentityId owner) => Encoding.UTF8.GetBytes($"statistics paillier key:{owner}");
}
