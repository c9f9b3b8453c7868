using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace HealthBlock.Crypto.Tls;

/// <summary>
/// Certificate validation that pins identities instead of trusting authorities: a peer is accepted when its
/// certificate's key belongs to an identity the caller allows (<see cref="IdentityCertificates.IdentityOf"/>) and the
/// certificate is within its validity period. Chain errors (every certificate here is self-signed) are ignored;
/// everything else about the handshake is TLS as usual.
/// </summary>
public static class IdentityPinning
{
    /// <summary>
    /// A validation callback for <see cref="SslStream"/> that accepts a peer whose identity <paramref name="allow"/>
    /// accepts. <paramref name="refused"/> learns each refusal (the identity, or null when the certificate names none,
    /// and why) so it can be counted and alerted.
    /// </summary>
    public static RemoteCertificateValidationCallback Callback(Func<IdentityId, bool> allow, Action<IdentityId?, string>? refused = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(allow);
        var clock = time ?? TimeProvider.System;
        return (_, certificate, _, errors) =>
        {
            var (ok, identity, reason) = Check(certificate, errors, allow, clock);
            if (!ok)
            {
                refused?.Invoke(identity, reason);
            }

            return ok;
        };
    }

    /// <summary>Checks one presented certificate; see <see cref="Callback"/>.</summary>
    public static (bool Accepted, IdentityId? Identity, string Reason) Check(X509Certificate? certificate, SslPolicyErrors errors, Func<IdentityId, bool> allow, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(allow);
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return (false, null, "the peer presented no certificate");
        }

        if (IdentityCertificates.IdentityOf(certificate) is not { } identity)
        {
            return (false, null, "the peer's certificate key is not an ECDSA P-256 identity key");
        }

        using var x509 = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var now = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        if (now < x509.NotBefore.ToUniversalTime() || now > x509.NotAfter.ToUniversalTime())
        {
            return (false, identity, $"the certificate of {identity} is outside its validity period");
        }

        return allow(identity)
            ? (true, identity, "pinned")
            : (false, identity, $"{identity} is not an identity allowed on this link");
    }
}
