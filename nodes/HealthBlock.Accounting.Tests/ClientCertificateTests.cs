using System.Net;
using System.Security.Cryptography.X509Certificates;
using HealthBlock.Crypto;
using HealthBlock.Crypto.Tls;
using HealthBlock.Devnet;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting.Tests;

/// <summary>
/// Reads authenticated by a TLS client certificate made on the caller's identity key, against a real node on loopback:
/// the connection names the caller, so no request signature is sent; a key that is not a registered identity is refused
/// 401, the policy still decides what a certified caller may read (403), and a request whose signed caller header names
/// another identity than its certificate is refused.
/// </summary>
public sealed class ClientCertificateTests : IAsyncLifetime
{
    private LocalCluster _cluster = null!;
    private AccountingNode _node = null!;
    private IdentityKey _owner = null!;
    private IdentityKey _other = null!;

    public async Task InitializeAsync()
    {
        _cluster = await LocalCluster.StartAsync(1);
        _node = await _cluster.WaitForLeaderAsync(Helpers.Timeout);
        (_owner, _other) = (IdentityKey.Generate(), IdentityKey.Generate());
        var admin = new TransactionSigner(_cluster.Admin, _cluster.Genesis.NetworkId);
        foreach (var key in new[] { _owner, _other })
        {
            await Helpers.CommitAsync(_node, admin.Sign(RegisterPayload.For(key.Public, Role.Patient, "patient")));
            await Helpers.CommitAsync(_node, new TransactionSigner(key, _cluster.Genesis.NetworkId).Sign(Helpers.Keys(1)));
        }
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _owner.Dispose();
        _other.Dispose();
    }

    [Fact]
    public async Task A_certified_client_reads_its_own_private_record_without_signing_it()
    {
        using var certificate = IdentityCertificates.Create(_owner);
        using var http = Client(certificate);
        using var request = new HttpRequestMessage(HttpMethod.Get, LedgerRoutes.PatientKeysPath(_owner.Id));
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var scheme = LedgerRequestSignature.Scheme;
        Assert.DoesNotContain(request.Headers, h => h.Key == scheme.CallerHeader || h.Key == scheme.TimeHeader || h.Key == scheme.NonceHeader || h.Key == scheme.SignatureHeader);

        // The ledger client over HTTPS authenticates the same way: its reads as the owner succeed.
        using var client = new LedgerClient(_node.HttpUrl, _cluster.Genesis, _owner);
        Assert.Equal(1u, (await client.GetPatientKeysAsync(_owner.Id))!.Epoch);
    }

    [Fact]
    public async Task A_certified_client_is_known_on_every_new_connection_including_resumed_sessions()
    {
        using var certificate = IdentityCertificates.Create(_owner);
        var handler = LedgerTls.PinnedHandler(_cluster.Genesis, certificate);
        handler.PooledConnectionLifetime = TimeSpan.Zero; // a new connection (a resumed TLS session, where offered) per request
        using var http = new HttpClient(handler) { BaseAddress = _node.HttpUrl };
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.GetAsync(LedgerRoutes.PatientKeysPath(_owner.Id));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_certificate_on_an_unregistered_key_is_refused_401()
    {
        using var stranger = IdentityKey.Generate();
        using var certificate = IdentityCertificates.Create(stranger);
        using var http = Client(certificate);

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(LedgerRoutes.PatientKeysPath(_owner.Id))).StatusCode);
    }

    [Fact]
    public async Task A_certified_patient_reading_another_patients_record_is_refused_403()
    {
        using var certificate = IdentityCertificates.Create(_other);
        using var http = Client(certificate);

        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(LedgerRoutes.PatientKeysPath(_owner.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(LedgerRoutes.PatientKeysPath(_other.Id))).StatusCode);
    }

    [Fact]
    public async Task A_request_whose_signed_caller_is_not_its_certificates_identity_is_refused()
    {
        using var certificate = IdentityCertificates.Create(_other);
        using var http = Client(certificate);
        var path = "/" + LedgerRoutes.PatientKeysPath(_owner.Id);
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        foreach (var header in LedgerRequestSignature.Scheme.Headers(_owner, "GET", path, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), []))
        {
            request.Headers.Add(header.Key, header.Value);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);
    }

    private HttpClient Client(X509Certificate2 certificate) =>
        new(LedgerTls.PinnedHandler(_cluster.Genesis, certificate)) { BaseAddress = _node.HttpUrl };
}
