using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace HealthBlock.Crypto;

/// <summary>
/// Digital envelopes (ECIES): a fresh ephemeral P-256 key agrees a secret with the recipient's encryption key,
/// HKDF-SHA256 turns it into an AES-256-GCM key, and AES-GCM seals the payload with the recipient id, the key
/// epoch and the purpose in the AAD. Layout: <c>version(1) ‖ ephemeral public key(65) ‖ nonce(12) ‖ ciphertext ‖ tag(16)</c>.
/// </summary>
public static class Envelope
{
    /// <summary>Format version byte.</summary>
    public const byte Version = 1;

    /// <summary>Bytes an envelope adds to its payload.</summary>
    public const int Overhead = 1 + EcPoint.Size + Aead.Overhead;

    private static readonly byte[] Info = Encoding.ASCII.GetBytes("HealthBlock envelope v1");

    /// <summary>Seals <paramref name="payload"/> to <paramref name="recipient"/> for key epoch <paramref name="epoch"/>.</summary>
    public static byte[] Seal(PublicIdentity recipient, uint epoch, EnvelopePurpose purpose, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var recipientKey = EcPoint.ImportEcdh(recipient.EncryptionKey);
        var ephemeralPoint = EcPoint.Encode(ephemeral.ExportParameters(false));
        var shared = ephemeral.DeriveRawSecretAgreement(recipientKey.PublicKey);
        var key = DeriveKey(shared, ephemeralPoint, recipient.EncryptionKey);
        CryptographicOperations.ZeroMemory(shared);

        var output = new byte[Overhead + payload.Length];
        output[0] = Version;
        ephemeralPoint.CopyTo(output, 1);
        Aead.Seal(key, AeadNonce.For(AeadNonce.Purpose.Envelope, 0), payload, Aad(recipient.Id, epoch, purpose), output.AsSpan(1 + EcPoint.Size));
        CryptographicOperations.ZeroMemory(key);
        return output;
    }

    /// <summary>
    /// Opens an envelope with the recipient's private identity. Wrong recipient, epoch, purpose or any altered byte
    /// fails with <see cref="CryptoError.AuthenticationFailed"/>; a short or malformed envelope with <see cref="CryptoError.Truncated"/>
    /// or <see cref="CryptoError.InvalidKey"/>.
    /// </summary>
    public static byte[] Open(IdentityKey recipient, uint epoch, EnvelopePurpose purpose, ReadOnlySpan<byte> envelope)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (envelope.Length < Overhead)
        {
            throw new CryptoException(CryptoError.Truncated, $"An envelope is at least {Overhead} bytes; got {envelope.Length}.");
        }

        if (envelope[0] != Version)
        {
            throw new CryptoException(CryptoError.InvalidArgument, $"Unknown envelope version {envelope[0]}.");
        }

        var ephemeralPoint = envelope.Slice(1, EcPoint.Size);
        using var ephemeral = EcPoint.ImportEcdh(ephemeralPoint);
        byte[] shared;
        try
        {
            shared = recipient.Encryption.DeriveRawSecretAgreement(ephemeral.PublicKey);
        }
        catch (CryptographicException e)
        {
            throw new CryptoException(CryptoError.InvalidKey, "The envelope's ephemeral key is not usable.", e);
        }

        var key = DeriveKey(shared, ephemeralPoint, recipient.Public.EncryptionKey);
        CryptographicOperations.ZeroMemory(shared);
        try
        {
            return Aead.Open(key, envelope[(1 + EcPoint.Size)..], Aad(recipient.Id, epoch, purpose));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] DeriveKey(byte[] shared, ReadOnlySpan<byte> ephemeralPoint, ReadOnlySpan<byte> recipientPoint)
    {
        Span<byte> salt = stackalloc byte[EcPoint.Size * 2];
        ephemeralPoint.CopyTo(salt);
        recipientPoint.CopyTo(salt[EcPoint.Size..]);
        var key = new byte[Aead.KeySize];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, key, salt, Info);
        return key;
    }

    private static byte[] Aad(IdentityId recipient, uint epoch, EnvelopePurpose purpose)
    {
        var aad = new byte[4 + IdentityId.Size + 4 + 1];
        "HBE1"u8.CopyTo(aad);
        recipient.Bytes.CopyTo(aad.AsSpan(4));
        BinaryPrimitives.WriteUInt32BigEndian(aad.AsSpan(4 + IdentityId.Size), epoch);
        aad[^1] = (byte)purpose;
        return aad;
    }
}
