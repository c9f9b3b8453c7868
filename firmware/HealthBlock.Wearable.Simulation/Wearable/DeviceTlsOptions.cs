using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HealthBlock.Protocol.Pairing;
using MQTTnet;

namespace HealthBlock.Wearable.Simulation.Wearable;

/// <summary>
/// MQTTnet client options that connect the way a paired wearable does (firmware/README.md, M2Mqtt over mbedTLS): TLS 1.2,
/// the server's certificate accepted only when it chains to the one CA certificate of the pairing blob (no system roots)
/// and names the host dialled; the blob's user name and password in the CONNECT.
/// </summary>
public static class DeviceTlsOptions
{
    /// <summary>Options for <paramref name="host"/>:<paramref name="port"/> as <paramref name="clientId"/> under <paramref name="security"/> (null: plaintext, no credentials).</summary>
    public static MqttClientOptionsBuilder Builder(string host, int port, string clientId, UplinkSecurity? security)
    {
        var builder = new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId(clientId);
        if (security is null)
        {
            return builder;
        }

        if (security.HasCredentials)
        {
            builder = builder.WithCredentials(security.MqttUsername, security.MqttPassword);
        }

        if (security.IsPlaintext)
        {
            return builder;
        }

        var ca = X509CertificateLoader.LoadCertificate(security.GetCaCertificate());
        return builder.WithTlsOptions(o => o
            .UseTls()
            .WithSslProtocols(SslProtocols.Tls12)
            .WithTargetHost(host)
            .WithCertificateValidationHandler(e => ChainsTo(ca, e.Certificate, e.SslPolicyErrors)));
    }

    /// <summary>
    /// True when <paramref name="presented"/> chains to <paramref name="ca"/> alone and every other check of the handshake
    /// (the host name above all) passed.
    /// </summary>
    public static bool ChainsTo(X509Certificate2 ca, X509Certificate? presented, SslPolicyErrors errors) =>
        HealthBlock.Crypto.Tls.CaTrust.Chains(ca, presented, errors);
}
