using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HealthBlock.Crypto.Tls;

/// <summary>
/// TLS certificates bound to on-chain identities: a self-signed X.509 certificate whose subject public key is the
/// identity's ECDSA P-256 signing key. Peers do not trust a certificate authority; they pin the key — the TLS handshake
/// proves possession of it (the CertificateVerify message is signed with it) and <see cref="IdentityOf"/> names the
/// identity it belongs to, which the peer then checks against the genesis or the ledger. A certificate is made anew at
/// every start; only the key is long-lived.
/// </summary>
public static class IdentityCertificates
{
    /// <summary>How long a certificate made here is valid.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(397);

    /// <summary>
    /// A self-signed certificate for <paramref name="key"/> (CN = the identity id) with the private key attached, valid
    /// from an hour ago for <see cref="Lifetime"/>, for both server and client authentication. Host names and addresses
    /// go into the subject alternative names (clients that pin the key do not need them; ordinary TLS clients do).
    /// </summary>
    /// <param name="key">The identity; its signing key becomes the certificate's key (the caller keeps owning it).</param>
    /// <param name="hostNames">DNS names or IP addresses the certificate names, or none.</param>
    /// <param name="time">The clock (default: the system clock).</param>
    public static X509Certificate2 Create(IdentityKey key, IEnumerable<string>? hostNames = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var signing = ECDsa.Create(key.Signing.ExportParameters(includePrivateParameters: true));
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + key.Id), signing, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (SubjectAlternativeNames(hostNames) is { } san)
        {
            request.CertificateExtensions.Add(san);
        }

        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddHours(-1), now + Lifetime);

        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    /// <summary>
    /// The identity whose signing key is the subject key of <paramref name="certificate"/>, or null when the key is not
    /// an ECDSA P-256 key. It says nothing about whether the identity is trusted: compare it with the set you pin.
    /// </summary>
    public static IdentityId? IdentityOf(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return null;
        }

        using var x509 = certificate as X509Certificate2 is { } c2 ? new X509Certificate2(c2) : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var ecdsa = x509.GetECDsaPublicKey();
        if (ecdsa is null || ecdsa.KeySize != 256)
        {
            return null;
        }

        var parameters = ecdsa.ExportParameters(false);
        if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            return null;
        }

        return IdentityId.FromSigningKey(EcPoint.Encode(parameters));
    }

    private static X509Extension? SubjectAlternativeNames(IEnumerable<string>? hostNames)
    {
        var builder = new SubjectAlternativeNameBuilder();
        var any = false;
        foreach (var name in hostNames ?? [])
        {
            if (IPAddress.TryParse(name, out var address))
            {
                builder.AddIpAddress(address);
            }
            else
            {
                builder.AddDnsName(name);
            }

            any = true;
        }

        return any ? builder.Build() : null;
    }
}
