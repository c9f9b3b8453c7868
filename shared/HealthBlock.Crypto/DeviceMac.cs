using System.Security.Cryptography;

namespace HealthBlock.Crypto;

/// <summary>
/// HMAC-SHA256 as the wearables use it to authenticate frames. Tags may be truncated to no fewer
/// than 16 bytes (128 bits, the floor of NIST SP 800-107); verification is constant-time.
/// </summary>
public static class DeviceMac
{
    /// <summary>Size of a device key in bytes.</summary>
    public const int KeySize = 32;

    /// <summary>Shortest tag accepted, in bytes.</summary>
    public const int MinTagSize = 16;

    /// <summary>Full HMAC-SHA256 output size in bytes.</summary>
    public const int MaxTagSize = 32;

    /// <summary>Creates a new random device key.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeySize);

    /// <summary>Computes the full 32-byte tag of <paramref name="data"/>.</summary>
    public static byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        CheckKey(key);
        return HMACSHA256.HashData(key, data);
    }

    /// <summary>
    /// Verifies a tag of 16 to 32 bytes against the leading bytes of the HMAC of <paramref name="data"/>, in constant time.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> tag)
    {
        CheckKey(key);
        if (tag.Length < MinTagSize || tag.Length > MaxTagSize)
        {
            return false;
        }

        Span<byte> full = stackalloc byte[MaxTagSize];
        HMACSHA256.HashData(key, data, full);
        return CryptographicOperations.FixedTimeEquals(full[..tag.Length], tag);
    }

    private static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new CryptoException(CryptoError.InvalidKey, $"A device key is {KeySize} bytes, not {key.Length}.");
        }
    }
}
