using System.Net;
using System.Security.Cryptography.X509Certificates;
using HealthBlock.Crypto;
using HealthBlock.Crypto.Tls;

namespace HealthBlock.Gateway.Mqtt;

/// <summary>
/// The gateway broker's TLS material in its data folder: a CA of its own (<c>mqtt-ca.crt</c>, key <c>mqtt-ca.key</c>),
/// made at first start, whose certificate every pairing blob carries for the device to validate the broker against;
/// and a server certificate (<c>mqtt-server.crt</c>, <c>mqtt-server.key</c>) issued by it for the host names and
/// addresses devices dial. Keys are written readable by the owner only. The server certificate is issued again when the
/// names change, when it is not the CA's, or when less than <see cref="RenewBefore"/> of it is left; the CA stays, so
/// paired devices keep working. The same files configure Mosquitto (<c>cafile</c>, <c>certfile</c>, <c>keyfile</c>).
/// </summary>
public sealed class BrokerCertificates : IDisposable
{
    /// <summary>The CA certificate file (PEM).</summary>
    public const string CaCertificateFile = "mqtt-ca.crt";

    /// <summary>The CA key file (PKCS#8 PEM, mode 0600).</summary>
    public const string CaKeyFile = "mqtt-ca.key";

    /// <summary>The server certificate file (PEM).</summary>
    public const string ServerCertificateFile = "mqtt-server.crt";

    /// <summary>The server key file (PKCS#8 PEM, mode 0600).</summary>
    public const string ServerKeyFile = "mqtt-server.key";

    /// <summary>How long before it expires a server certificate is replaced.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private BrokerCertificates(LocalCertificateAuthority authority, X509Certificate2 server, IReadOnlyList<string> names)
    {
        Authority = authority;
        Server = server;
        ServerNames = names;
    }

    /// <summary>The gateway's CA.</summary>
    public LocalCertificateAuthority Authority { get; }

    /// <summary>The server certificate with its key, for the TLS listener.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The names (DNS names and addresses) the server certificate carries.</summary>
    public IReadOnlyList<string> ServerNames { get; }

    /// <summary>What a device must trust: the CA certificate in DER.</summary>
    public byte[] CaCertificateDer => Authority.CertificateDer;

    /// <summary>
    /// The names a server certificate carries when none are configured: <c>localhost</c>, the loopback addresses, this
    /// machine's host name and its mDNS name (<c>host.local</c>, what a Pi on a home network is reached by), and
    /// <c>gateway.local</c>, the broker <c>healthblock gateway pair</c> writes into blobs unless told another.
    /// </summary>
    public static IReadOnlyList<string> DefaultServerNames()
    {
        var host = Dns.GetHostName();
        return [.. new[] { "localhost", "127.0.0.1", "::1", host, host + ".local", "gateway.local" }.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Loads the folder's CA and server certificate, making (or renewing) what is missing.</summary>
    /// <param name="dataFolder">The gateway's data folder.</param>
    /// <param name="serverNames">Names the server certificate must carry (null: <see cref="DefaultServerNames"/>).</param>
    /// <param name="time">The clock.</param>
    /// <exception cref="CryptoException">A file exists but cannot be read as what it should be.</exception>
    public static BrokerCertificates LoadOrCreate(string dataFolder, IReadOnlyCollection<string>? serverNames = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataFolder);
        var clock = time ?? TimeProvider.System;
        IReadOnlyList<string> names = [.. (serverNames is { Count: > 0 } ? serverNames : DefaultServerNames()).Select(Canonical).Distinct(StringComparer.OrdinalIgnoreCase)];
        var authority = LoadOrCreateAuthority(dataFolder, clock);
        try
        {
            var server = LoadServer(dataFolder, authority, names, clock) ?? IssueServer(dataFolder, authority, names, clock);
            return new BrokerCertificates(authority, server, names);
        }
        catch
        {
            authority.Dispose();
            throw;
        }
    }

    /// <summary>The folder's CA, made (and saved) when there is none yet.</summary>
    /// <exception cref="CryptoException">The CA files exist but cannot be read.</exception>
    public static LocalCertificateAuthority LoadOrCreateAuthority(string dataFolder, TimeProvider? time = null)
    {
        var caCert = Path.Combine(dataFolder, CaCertificateFile);
        var caKey = Path.Combine(dataFolder, CaKeyFile);
        if (File.Exists(caCert) || File.Exists(caKey))
        {
            return LocalCertificateAuthority.Load(caCert, caKey);
        }

        var authority = LocalCertificateAuthority.Create("HealthBlock gateway MQTT CA " + Guid.NewGuid().ToString("N")[..8], time);
        authority.Save(caCert, caKey);
        return authority;
    }

    /// <summary>True when a device dialling <paramref name="host"/> would find it in the server certificate.</summary>
    public bool Names(string host) => ServerNames.Contains(Canonical(host), StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public void Dispose()
    {
        Server.Dispose();
        Authority.Dispose();
    }

    private static X509Certificate2? LoadServer(string folder, LocalCertificateAuthority authority, IReadOnlyList<string> names, TimeProvider time)
    {
        var certFile = Path.Combine(folder, ServerCertificateFile);
        var keyFile = Path.Combine(folder, ServerKeyFile);
        if (!File.Exists(certFile) || !File.Exists(keyFile))
        {
            return null;
        }

        X509Certificate2 loaded;
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            loaded = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        var current = loaded.NotAfter.ToUniversalTime() - RenewBefore > time.GetUtcNow().UtcDateTime
            && authority.Issued(loaded)
            && CertificateNames(loaded).SetEquals(names);
        if (current)
        {
            return loaded;
        }

        loaded.Dispose();
        return null;
    }

    private static X509Certificate2 IssueServer(string folder, LocalCertificateAuthority authority, IReadOnlyList<string> names, TimeProvider time)
    {
        var server = authority.IssueServerCertificate([.. names], time: time);
        File.WriteAllText(Path.Combine(folder, ServerCertificateFile), server.ExportCertificatePem());
        using var key = server.GetECDsaPrivateKey() ?? throw new CryptoException(CryptoError.InvalidKey, "the issued server certificate has no private key");
        PrivateFiles.WriteAllText(Path.Combine(folder, ServerKeyFile), key.ExportPkcs8PrivateKeyPem());
        return server;
    }

    private static HashSet<string> CertificateNames(X509Certificate2 certificate)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault() is { } san)
        {
            set.UnionWith(san.EnumerateDnsNames());
            set.UnionWith(san.EnumerateIPAddresses().Select(a => a.ToString()));
        }

        return set;
    }

    /// <summary>A host name in lower case, or an address in its one printed form (IPv6 without brackets).</summary>
    internal static string Canonical(string name) =>
        IPAddress.TryParse(name.Trim('[', ']'), out var address) ? address.ToString() : name.Trim().ToLowerInvariant();
}
