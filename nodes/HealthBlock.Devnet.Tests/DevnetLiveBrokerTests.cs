using System.Security.Authentication;
using HealthBlock.Crypto.Tls;
using MQTTnet;

namespace HealthBlock.Devnet.Tests;

/// <summary>Devnet's shared live broker speaks TLS only, with a certificate from the devnet CA.</summary>
public sealed class DevnetLiveBrokerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hb-live-broker-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_client_trusting_the_devnet_CA_connects_but_a_plaintext_one_or_one_trusting_another_CA_does_not()
    {
        await using var live = await DevnetLivePath.StartAsync(new DevnetOptions(), _folder);
        using var otherCa = LocalCertificateAuthority.Create("another CA");
        using var otherAuthority = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(otherCa.CertificateDer);

        Assert.Equal("mqtts", live.Broker.Scheme);
        Assert.True(File.Exists(live.AuthorityFile));
        Assert.True(await ConnectsAsync(live.Broker, live.Authority), "a client validating against the devnet CA connects");
        Assert.False(await ConnectsAsync(live.Broker, null), "a plaintext client is refused");
        Assert.False(await ConnectsAsync(live.Broker, otherAuthority), "a client trusting another CA refuses the server certificate");
    }

    private static async Task<bool> ConnectsAsync(Uri broker, System.Security.Cryptography.X509Certificates.X509Certificate2? authority)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder().WithTcpServer(broker.Host, broker.Port).WithClientId("probe").WithTimeout(TimeSpan.FromSeconds(5));
        if (authority is not null)
        {
            builder = builder.WithTlsOptions(o => o
                .UseTls()
                .WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13)
                .WithTargetHost(broker.Host)
                .WithCertificateValidationHandler(e => CaTrust.Chains(authority, e.Certificate, e.SslPolicyErrors)));
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var result = await client.ConnectAsync(builder.Build(), timeout.Token);
            return result.ResultCode == MqttClientConnectResultCode.Success && client.IsConnected;
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or AuthenticationException or IOException)
        {
            return false;
        }
    }
}
