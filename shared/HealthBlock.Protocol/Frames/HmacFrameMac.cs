using System.Security.Cryptography;
using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Frames;

/// <summary>The host implementation of <see cref="IFrameMac"/> (.NET's HMAC-SHA256), used by emulators and tests.</summary>
public sealed class HmacFrameMac : IFrameMac
{
    private readonly byte[] _key;

    /// <summary>Creates a MAC over a 32-byte device key.</summary>
    public HmacFrameMac(ReadOnlySpan<byte> key)
    {
        if (key.Length != DeviceMac.KeySize)
        {
            throw new CryptoException(CryptoError.InvalidKey, $"A device key is {DeviceMac.KeySize} bytes.");
        }

        _key = key.ToArray();
    }

    /// <inheritdoc />
    public void ComputeTag(byte[] data, int offset, int count, byte[] tag, int tagOffset, int tagLength)
    {
        Span<byte> full = stackalloc byte[32];
        HMACSHA256.HashData(_key, data.AsSpan(offset, count), full);
        full[..tagLength].CopyTo(tag.AsSpan(tagOffset));
    }
}
