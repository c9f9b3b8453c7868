using System.Security.Cryptography;

namespace HealthBlock.Crypto;

/// <summary>
/// AES-256-GCM with a 96-bit nonce and a 128-bit tag. A sealed message is <c>nonce(12) ‖ ciphertext ‖ tag(16)</c>;
/// the nonce travels with the message so that the reader needs only the key and the AAD.
/// </summary>
public static class Aead
{
    /// <summary>Key size in bytes.</summary>
    public const int KeySize = 32;

    /// <summary>Tag size in bytes.</summary>
    public const int TagSize = 16;

    /// <summary>Bytes a sealed message adds to its plaintext.</summary>
    public const int Overhead = AeadNonce.Size + TagSize;

    /// <summary>Creates a random 256-bit key.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeySize);

    /// <summary>Encrypts and authenticates <paramref name="plaintext"/>, binding <paramref name="aad"/>.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> key, AeadNonce nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        var output = new byte[Overhead + plaintext.Length];
        Seal(key, nonce, plaintext, aad, output);
        return output;
    }

    /// <summary>Encrypts into <paramref name="destination"/>, which must be exactly <c>plaintext.Length + Overhead</c> bytes.</summary>
    public static void Seal(ReadOnlySpan<byte> key, AeadNonce nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> aad, Span<byte> destination)
    {
        CheckKey(key);
        if (destination.Length != plaintext.Length + Overhead)
        {
            throw new CryptoException(CryptoError.InvalidArgument, "Destination must be plaintext length + 28 bytes.");
        }

        nonce.WriteTo(destination[..AeadNonce.Size]);
        using var gcm = new AesGcm(key, TagSize);
        gcm.Encrypt(
            destination[..AeadNonce.Size],
            plaintext,
            destination.Slice(AeadNonce.Size, plaintext.Length),
            destination[^TagSize..],
            aad);
    }

    /// <summary>Verifies and decrypts a sealed message; any change to it, the key or the AAD fails with <see cref="CryptoError.AuthenticationFailed"/>.</summary>
    public static byte[] Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> sealedMessage, ReadOnlySpan<byte> aad)
    {
        CheckKey(key);
        if (sealedMessage.Length < Overhead)
        {
            throw new CryptoException(CryptoError.Truncated, $"A sealed message is at least {Overhead} bytes; got {sealedMessage.Length}.");
        }

        var plaintext = new byte[sealedMessage.Length - Overhead];
        using var gcm = new AesGcm(key, TagSize);
        try
        {
            gcm.Decrypt(
                sealedMessage[..AeadNonce.Size],
                sealedMessage.Slice(AeadNonce.Size, plaintext.Length),
                sealedMessage[^TagSize..],
                plaintext,
                aad);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new CryptoException(CryptoError.AuthenticationFailed, "AES-GCM authentication failed: wrong key, altered ciphertext or wrong associated data.", e);
        }

        return plaintext;
    }

    /// <summary>AES-256-GCM with an explicit 12-byte nonce, for published test vectors only.</summary>
    internal static byte[] EncryptWithNonce(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        CheckKey(key);
        var output = new byte[plaintext.Length + TagSize];
        using var gcm = new AesGcm(key, TagSize);
        gcm.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), aad);
        return output;
    }

    private static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new CryptoException(CryptoError.InvalidKey, $"An AES-256-GCM key is {KeySize} bytes, not {key.Length}.");
        }
    }
}
