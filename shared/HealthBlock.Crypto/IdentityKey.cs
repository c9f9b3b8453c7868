using System.Security.Cryptography;

namespace HealthBlock.Crypto;

/// <summary>
/// A private identity: an ECDSA P-256 signing key and a P-256 ECDH key for opening envelopes.
/// Signatures are over 32-byte digests (transaction ids are SHA-256 of the body, so this is ECDSA-SHA256 of the body).
/// </summary>
public sealed class IdentityKey : IDisposable
{
    private readonly ECDsa _signing;
    private readonly ECDiffieHellman _encryption;

    internal IdentityKey(ECDsa signing, ECDiffieHellman encryption)
    {
        _signing = signing;
        _encryption = encryption;
        Public = new PublicIdentity(
            EcPoint.Encode(signing.ExportParameters(false)),
            EcPoint.Encode(encryption.ExportParameters(false)));
    }

    /// <summary>The public half.</summary>
    public PublicIdentity Public { get; }

    /// <summary>The identity id.</summary>
    public IdentityId Id => Public.Id;

    internal ECDsa Signing => _signing;

    internal ECDiffieHellman Encryption => _encryption;

    /// <summary>Generates a new identity.</summary>
    public static IdentityKey Generate() =>
        new(ECDsa.Create(ECCurve.NamedCurves.nistP256), ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Signs a 32-byte digest; the result is 64 bytes (r ‖ s).</summary>
    public byte[] Sign(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != 32)
        {
            throw new CryptoException(CryptoError.InvalidArgument, "Only 32-byte digests are signed.");
        }

        return _signing.SignHash(digest.ToArray());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _signing.Dispose();
        _encryption.Dispose();
    }
}
