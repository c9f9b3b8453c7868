using System.Security.Cryptography;

namespace HealthBlock.Crypto;

/// <summary>
/// The public half of an identity: an ECDSA P-256 signing key and a separate P-256 ECDH key that envelopes are
/// sealed to (one key per purpose). Both are SEC1 uncompressed points.
/// </summary>
public sealed class PublicIdentity
{
    /// <summary>Size of an ECDSA P-256 signature in IEEE P1363 form (r ‖ s).</summary>
    public const int SignatureSize = 64;

    private readonly byte[] _signingKey;
    private readonly byte[] _encryptionKey;

    /// <summary>Creates a public identity from its two encoded keys, validating both.</summary>
    public PublicIdentity(ReadOnlySpan<byte> signingKey, ReadOnlySpan<byte> encryptionKey)
    {
        using (EcPoint.ImportEcdsa(signingKey))
        using (EcPoint.ImportEcdh(encryptionKey))
        {
        }

        _signingKey = signingKey.ToArray();
        _encryptionKey = encryptionKey.ToArray();
        Id = IdentityId.FromSigningKey(_signingKey);
    }

    /// <summary>The identity id.</summary>
    public IdentityId Id { get; }

    /// <summary>The signing key (65 bytes).</summary>
    public ReadOnlySpan<byte> SigningKey => _signingKey;

    /// <summary>The encryption key (65 bytes).</summary>
    public ReadOnlySpan<byte> EncryptionKey => _encryptionKey;

    /// <summary>Verifies an ECDSA P-256 signature over a 32-byte digest (a transaction id).</summary>
    public bool Verify(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        if (digest.Length != 32 || signature.Length != SignatureSize)
        {
            return false;
        }

        using var ecdsa = EcPoint.ImportEcdsa(_signingKey);
        return ecdsa.VerifyHash(digest, signature);
    }

    /// <summary>A verifier that keeps the imported key, for checking many signatures of one signer.</summary>
    public ECDsa CreateVerifier() => EcPoint.ImportEcdsa(_signingKey);

    /// <inheritdoc />
    public override string ToString() => Id.ToString();
}
