using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HealthBlock.Crypto.Tls;

namespace HealthBlock.Crypto.Tests;

/// <summary>TLS bound to identities (pinned keys) and the local CA, through real handshakes on loopback.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly IdentityKey _server = IdentityKey.Generate();
    private readonly IdentityKey _client = IdentityKey.Generate();
    private readonly IdentityKey _impostor = IdentityKey.Generate();
    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        _server.Dispose();
        _client.Dispose();
        _impostor.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void A_certificate_names_the_identity_whose_signing_key_it_carries()
    {
        using var certificate = IdentityCertificates.Create(_server, ["node-1.example", "10.0.0.1"]);

        Assert.Equal(_server.Id, IdentityCertificates.IdentityOf(certificate));
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("CN=" + _server.Id, certificate.Subject);
    }

    [Fact]
    public async Task Mutual_tls_succeeds_between_pinned_identities()
    {
        var (serverSaw, clientSaw) = await HandshakeAsync(_server, _client, allowClient: id => id == _client.Id, allowServer: id => id == _server.Id);

        Assert.Equal(_client.Id, serverSaw);
        Assert.Equal(_server.Id, clientSaw);
    }

    [Fact]
    public async Task A_client_with_a_key_that_is_not_pinned_is_refused_at_the_handshake_and_named()
    {
        var refused = new List<IdentityId?>();

        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(_server, _impostor, allowClient: id => id == _client.Id, allowServer: id => id == _server.Id, refusedByServer: (id, _) => refused.Add(id)));

        Assert.Equal([_impostor.Id], refused);
    }

    [Fact]
    public async Task A_server_whose_key_is_not_pinned_is_refused_by_the_client()
    {
        var refused = new List<IdentityId?>();

        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(_impostor, _client, allowClient: _ => true, allowServer: id => id == _server.Id, refusedByClient: (id, _) => refused.Add(id)));

        Assert.Equal([_impostor.Id], refused);
    }

    [Fact]
    public void A_certificate_without_an_identity_key_or_none_at_all_is_refused()
    {
        using var ca = LocalCertificateAuthority.Create("not an identity");

        Assert.False(IdentityPinning.Check(null, SslPolicyErrors.RemoteCertificateNotAvailable, _ => true).Accepted);
        var (accepted, identity, reason) = IdentityPinning.Check(ca.Certificate, SslPolicyErrors.RemoteCertificateChainErrors, _ => false);
        Assert.False(accepted);
        Assert.NotNull(identity);
        Assert.Contains("not an identity allowed", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_certificate_from_the_local_ca_validates_against_that_ca_and_host_name_only()
    {
        using var ca = LocalCertificateAuthority.Create("gateway test CA");
        using var other = LocalCertificateAuthority.Create("someone else");
        using var serverCertificate = ca.IssueServerCertificate(["gateway.local", "127.0.0.1"]);

        Assert.True(ca.Issued(serverCertificate));
        Assert.False(other.Issued(serverCertificate));
        Assert.Equal(SslPolicyErrors.None, await CaHandshakeAsync(serverCertificate, ca.Certificate, "gateway.local"));
        Assert.NotEqual(SslPolicyErrors.None, await CaHandshakeAsync(serverCertificate, other.Certificate, "gateway.local"));
        Assert.Equal(SslPolicyErrors.RemoteCertificateNameMismatch, await CaHandshakeAsync(serverCertificate, ca.Certificate, "elsewhere.local"));
    }

    [Fact]
    public void A_saved_ca_loads_again_and_its_key_file_is_private()
    {
        using var ca = LocalCertificateAuthority.Create("gateway test CA");
        var cert = _folder.Sub("ca.pem");
        var key = _folder.Sub("ca.key");

        ca.Save(cert, key);
        using var loaded = LocalCertificateAuthority.Load(cert, key);
        using var issued = loaded.IssueServerCertificate(["gateway.local"]);

        Assert.Equal(ca.CertificateDer, loaded.CertificateDer);
        Assert.True(ca.Issued(issued));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(PrivateFiles.Mode, File.GetUnixFileMode(key));
        }

        File.WriteAllText(key, "not a key");
        Assert.Throws<CryptoException>(() => LocalCertificateAuthority.Load(cert, key));
    }

    private static async Task<(IdentityId? ServerSaw, IdentityId? ClientSaw)> HandshakeAsync(
        IdentityKey serverKey,
        IdentityKey clientKey,
        Func<IdentityId, bool> allowClient,
        Func<IdentityId, bool> allowServer,
        Action<IdentityId?, string>? refusedByServer = null,
        Action<IdentityId?, string>? refusedByClient = null)
    {
        using var serverCertificate = IdentityCertificates.Create(serverKey);
        using var clientCertificate = IdentityCertificates.Create(clientKey);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accept = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync();
            await using var ssl = new SslStream(socket.GetStream());
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = serverCertificate,
                ClientCertificateRequired = true,
                EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12,
                RemoteCertificateValidationCallback = IdentityPinning.Callback(allowClient, refusedByServer),
            });
            var buffer = new byte[1];
            await ssl.ReadExactlyAsync(buffer);
            return IdentityCertificates.IdentityOf(ssl.RemoteCertificate);
        });

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        await using var stream = new SslStream(client.GetStream());
        await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "node",
            ClientCertificates = [clientCertificate],
            EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12,
            RemoteCertificateValidationCallback = IdentityPinning.Callback(allowServer, refusedByClient),
        });
        await stream.WriteAsync(new byte[] { 1 });
        var serverSaw = await accept.WaitAsync(TimeSpan.FromSeconds(30));
        return (serverSaw, IdentityCertificates.IdentityOf(stream.RemoteCertificate));
    }

    /// <summary>Handshakes with a client that trusts <paramref name="trusted"/> alone and returns what its validation saw.</summary>
    private static async Task<SslPolicyErrors> CaHandshakeAsync(X509Certificate2 serverCertificate, X509Certificate2 trusted, string host)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accept = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync();
            await using var ssl = new SslStream(socket.GetStream());
            try
            {
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = serverCertificate });
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
            }
        });

        var seen = SslPolicyErrors.None;
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        await using var stream = new SslStream(client.GetStream());
        await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = host,
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { trusted },
                RevocationMode = X509RevocationMode.NoCheck,
            },
            RemoteCertificateValidationCallback = (_, _, _, errors) =>
            {
                seen = errors;
                return true;
            },
        });
        await accept.WaitAsync(TimeSpan.FromSeconds(30));
        return seen;
    }
}
