using System.Security.Cryptography;

namespace HealthBlock.Crypto;

/// <summary>SEC1 uncompressed P-256 points (<c>0x04 ‖ X ‖ Y</c>, 65 bytes), the public-key encoding on the ledger.</summary>
internal static class EcPoint
{
    public const int Size = 65;

    public static byte[] Encode(ECParameters p)
    {
        var bytes = new byte[Size];
        bytes[0] = 0x04;
        p.Q.X!.CopyTo(bytes, 1);
        p.Q.Y!.CopyTo(bytes, 33);
        return bytes;
    }

    public static ECParameters Decode(ReadOnlySpan<byte> point)
    {
        if (point.Length != Size || point[0] != 0x04)
        {
            throw new CryptoException(CryptoError.InvalidKey, $"A P-256 public key is a 65-byte uncompressed SEC1 point; got {point.Length} bytes.");
        }

        return new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..33].ToArray(), Y = point[33..].ToArray() },
        };
    }

    public static ECDsa ImportEcdsa(ReadOnlySpan<byte> point)
    {
        var parameters = Decode(point);
        try
        {
            return ECDsa.Create(parameters);
        }
        catch (CryptographicException e)
        {
            throw new CryptoException(CryptoError.InvalidKey, "The public key is not a point on P-256.", e);
        }
    }

    public static ECDiffieHellman ImportEcdh(ReadOnlySpan<byte> point)
    {
        var parameters = Decode(point);
        try
        {
            return ECDiffieHellman.Create(parameters);
        }
        catch (CryptographicException e)
        {
            throw new CryptoException(CryptoError.InvalidKey, "The public key is not a point on P-256.", e);
        }
    }
}
