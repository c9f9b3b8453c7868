using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HealthBlock.Crypto;
using MQTTnet;

namespace HealthBlock.Gateway.Mqtt;

/// <summary>
/// How the gateway reaches an external broker (Mosquitto): <c>mqtts://host:port</c> (TLS 1.2 or 1.3; the broker's
/// certificate must chain to <see cref="Authority"/> alone and name the host dialled) with the gateway's own login, or
/// <c>mqtt://host:port</c> in plaintext, which only <see cref="Plaintext"/> makes (the explicit opt-out).
/// </summary>
public sealed record ExternalBrokerLink
{
    private ExternalBrokerLink(Uri broker, X509Certificate2? authority, string? username, string? password)
    {
        Broker = broker;
        Authority = authority;
        Username = username;
        Password = password;
    }

    /// <summary>The broker's URL.</summary>
    public Uri Broker { get; }

    /// <summary>The one CA the broker's certificate must chain to (null for plaintext).</summary>
    public X509Certificate2? Authority { get; }

    /// <summary>The gateway's broker user name, or null when the broker takes none.</summary>
    public string? Username { get; }

    /// <summary>The gateway's broker password, or null when the broker takes none.</summary>
    public string? Password { get; }

    /// <summary>True for a plaintext link.</summary>
    public bool IsPlaintext => Authority is null;

    /// <summary>True when <paramref name="broker"/> names a TLS broker (<c>mqtts://</c> or <c>ssl://</c>).</summary>
    public static bool IsTlsUrl(Uri broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return broker.Scheme is "mqtts" or "ssl";
    }

    /// <summary>The one-line refusal of a plaintext external broker without the explicit opt-out.</summary>
    public static string PlaintextRefusal(Uri broker) =>
        $"--mqtt {broker.GetLeftPart(UriPartial.Authority)} is plaintext (readings readable on the network): use mqtts://host:port (Mosquitto with TLS, docs/deployment.md) or opt out with --mqtt-plaintext";

    /// <summary>TLS to <paramref name="broker"/> (<c>mqtts://host:port</c>) trusting <paramref name="authority"/> alone, logging in as <paramref name="username"/>.</summary>
    /// <exception cref="ArgumentException">The URL is not <c>mqtts://</c>.</exception>
    public static ExternalBrokerLink Tls(Uri broker, X509Certificate2 authority, string? username, string? password)
    {
        ArgumentNullException.ThrowIfNull(authority);
        if (!IsTlsUrl(broker))
        {
            throw new ArgumentException($"Broker URL '{broker}' must be mqtts://host:port for TLS.", nameof(broker));
        }

        return new ExternalBrokerLink(broker, authority, username, password);
    }

    /// <summary>Plaintext to <paramref name="broker"/> (<c>mqtt://host:port</c>): readings readable on the network.</summary>
    /// <exception cref="ArgumentException">The URL is not <c>mqtt://</c>.</exception>
    public static ExternalBrokerLink Plaintext(Uri broker, string? username = null, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(broker);
        if (broker.Scheme is not ("mqtt" or "tcp"))
        {
            throw new ArgumentException($"Broker URL '{broker}' must be mqtt://host:port for plaintext.", nameof(broker));
        }

        return new ExternalBrokerLink(broker, null, username, password);
    }

    /// <summary>
    /// The CA certificate in the PEM <paramref name="file"/> (a certificate only, no key), which a broker's certificate
    /// must chain to; <paramref name="option"/> names the file's option in the error.
    /// </summary>
    /// <exception cref="CryptoException">The file cannot be read or holds no PEM certificate.</exception>
    public static X509Certificate2 LoadAuthority(string file, string option)
    {
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(file));
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new CryptoException(CryptoError.InvalidKey, $"{option} {file}: not a readable PEM certificate ({e.Message})", e);
        }
    }

    /// <summary>The port dialled: the URL's, else 8883 for TLS and 1883 for plaintext.</summary>
    public int Port => Broker.IsDefaultPort || Broker.Port <= 0 ? (IsPlaintext ? 1883 : 8883) : Broker.Port;

    /// <summary>Adds server, TLS and credentials to <paramref name="builder"/>.</summary>
    public MqttClientOptionsBuilder Configure(MqttClientOptionsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder = builder.WithTcpServer(Broker.Host, Port);
        if (Username is not null)
        {
            builder = builder.WithCredentials(Username, Password);
        }

        if (Authority is not { } authority)
        {
            return builder;
        }

        var host = Broker.Host;
        return builder.WithTlsOptions(o => o
            .UseTls()
            .WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13)
            .WithTargetHost(host)
            .WithCertificateValidationHandler(e => Crypto.Tls.CaTrust.Chains(authority, e.Certificate, e.SslPolicyErrors)));
    }
}
