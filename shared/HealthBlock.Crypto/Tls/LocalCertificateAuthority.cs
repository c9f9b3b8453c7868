using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HealthBlock.Crypto.Tls;

/// <summary>
/// A small certificate authority of one's own, for a link whose clients cannot pin a key but can hold one CA
/// certificate: the gateway's MQTT broker, whose wearables (nanoFramework's M2Mqtt over mbedTLS) validate the server
/// against the CA certificate they were given at pairing. ECDSA P-256 keys, SHA-256 signatures; the CA signs server
/// certificates only (path length 0).
/// </summary>
public sealed class LocalCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _certificate;

    private LocalCertificateAuthority(X509Certificate2 certificate) => _certificate = certificate;

    /// <summary>The CA certificate (with its private key).</summary>
    public X509Certificate2 Certificate => _certificate;

    /// <summary>The CA certificate alone, DER-encoded: what clients are given to trust.</summary>
    public byte[] CertificateDer => _certificate.RawData;

    /// <summary>A new CA named <paramref name="name"/>, valid for ten years.</summary>
    public static LocalCertificateAuthority Create(string name, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + name), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddYears(10));
        return new LocalCertificateAuthority(Reload(certificate));
    }

    /// <summary>Loads a CA saved by <see cref="Save"/>.</summary>
    /// <exception cref="CryptoException">The files are missing, unreadable or not a CA certificate with its key.</exception>
    public static LocalCertificateAuthority Load(string certificatePemFile, string keyPemFile)
    {
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certificatePemFile, keyPemFile);
            if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
            {
                certificate.Dispose();
                throw new CryptoException(CryptoError.InvalidKey, $"{certificatePemFile} is not a CA certificate.");
            }

            using (certificate)
            {
                return new LocalCertificateAuthority(Reload(certificate));
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new CryptoException(CryptoError.InvalidKey, $"cannot load the CA from {certificatePemFile} and {keyPemFile}: {e.Message}", e);
        }
    }

    /// <summary>Writes the certificate and its PKCS#8 private key as PEM; the key file is readable by its owner only.</summary>
    public void Save(string certificatePemFile, string keyPemFile)
    {
        File.WriteAllText(certificatePemFile, _certificate.ExportCertificatePem());
        using var key = _certificate.GetECDsaPrivateKey() ?? throw new CryptoException(CryptoError.InvalidKey, "the CA certificate has no private key");
        PrivateFiles.WriteAllText(keyPemFile, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>
    /// Issues a server certificate for <paramref name="hostNames"/> (DNS names or IP addresses: the names clients dial),
    /// valid for <paramref name="lifetime"/> (default 397 days), with its own new P-256 key.
    /// </summary>
    public X509Certificate2 IssueServerCertificate(IReadOnlyCollection<string> hostNames, TimeSpan? lifetime = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(hostNames);
        if (hostNames.Count == 0)
        {
            throw new ArgumentException("A server certificate names at least one host.", nameof(hostNames));
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + hostNames.First()), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, true, false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in hostNames)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var notAfter = now + (lifetime ?? IdentityCertificates.Lifetime);
        if (notAfter > _certificate.NotAfter)
        {
            notAfter = _certificate.NotAfter;
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(_certificate, now.AddHours(-1), notAfter, serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    /// <summary>True when <paramref name="certificate"/> chains to this CA alone (no system roots consulted).</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <inheritdoc />
    public void Dispose() => _certificate.Dispose();

    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
}
