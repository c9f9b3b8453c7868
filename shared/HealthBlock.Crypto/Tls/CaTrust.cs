using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace HealthBlock.Crypto.Tls;

/// <summary>
/// Trust in one CA certificate alone, as a wearable's mbedTLS does with the CA of its pairing blob: a server certificate
/// is accepted only when it chains to that CA (no system roots, no revocation source on a home network) and every other
/// check of the handshake, the host name above all, passed.
/// </summary>
public static class CaTrust
{
    /// <summary>True when <paramref name="presented"/> chains to <paramref name="authority"/> alone and <paramref name="errors"/> holds no error but the (custom-root) chain's.</summary>
    public static bool Chains(X509Certificate2 authority, X509Certificate? presented, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(authority);
        if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var server = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }
}
