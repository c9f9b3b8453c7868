using System.Collections.Concurrent;
using HealthBlock.Alerts;
using HealthBlock.Crypto.Tls;
using HealthBlock.Gateway.Admin;
using HealthBlock.Gateway.Mqtt;
using HealthBlock.Protocol.Pairing;
using HealthBlock.TestSupport;
using HealthBlock.Wearable.Simulation.Wearable;
using MQTTnet;

namespace HealthBlock.Gateway.Tests;

/// <summary>
/// The embedded broker speaks TLS by default with a certificate from the gateway's own CA, the pairing blob carries that
/// CA and the device's own broker credentials, and nothing else gets in (docs/security.md G6, G10).
/// </summary>
public sealed class MqttTlsTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<Alert> _alerts = new();
    private GatewayWorld _world = null!;

    public async Task InitializeAsync()
    {
        _world = await GatewayWorld.StartAsync();
        _world.Gateway.Alerts.Add(new CallbackAlertSink("test", _alerts.Enqueue));
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task By_default_the_blob_carries_the_gateways_ca_and_credentials_and_only_a_tls_device_with_them_is_served()
    {
        var port = _world.Gateway.MqttPort;
        var paired = await _world.Gateway.Admin.PairAsync(new PairRequest("00000000000000d1", "127.0.0.1", port));
        var blob = PairingBlob.Parse(paired.PairingBlob);
        Assert.False(blob.Security.IsPlaintext);
        Assert.Equal(_world.Gateway.BrokerCertificates!.CaCertificateDer, blob.Security.GetCaCertificate());
        Assert.Equal("00000000000000d1", blob.Security.MqttUsername);
        Assert.Equal(32, blob.Security.MqttPassword!.Length);
        Assert.True(_world.Gateway.Devices.TryGet(0xd1, out var entry));
        var device = new TestDevice(entry.Id, entry.Key, blob.Security);

        using (var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", port))
        {
            var ack = await GatewayWorld.PublishAsync(client, device.Topic(_world.Patient.Id.ToString()), device.Ecg());
            Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        }

        // The same credentials in plaintext: the TLS listener never sees an MQTT CONNECT.
        var plaintext = new TestDevice(entry.Id, entry.Key, UplinkSecurity.Plaintext(blob.Security.MqttUsername, blob.Security.MqttPassword));
        await Assert.ThrowsAnyAsync<Exception>(() => GatewayWorld.ConnectDeviceAsync(plaintext, "127.0.0.1", port));
        await Eventually.WaitUntilAsync(() => _world.Gateway.LimitHits.Total(ListenerLimit.Handshake) >= 1, "the failed handshake to be counted", TimeSpan.FromSeconds(10));

        // A wrong password, and no credentials at all: refused at CONNECT, counted and alerted.
        var wrong = new TestDevice(entry.Id, entry.Key, UplinkSecurity.Tls(blob.Security.GetCaCertificate(), blob.Security.MqttUsername, "not-the-password"));
        var anonymous = new TestDevice(entry.Id, entry.Key, UplinkSecurity.Tls(blob.Security.GetCaCertificate(), null, null));
        await Assert.ThrowsAnyAsync<Exception>(() => GatewayWorld.ConnectDeviceAsync(wrong, "127.0.0.1", port));
        await Assert.ThrowsAnyAsync<Exception>(() => GatewayWorld.ConnectDeviceAsync(anonymous, "127.0.0.1", port));
        Assert.Equal(2, _world.Gateway.LimitHits.Total(ListenerLimit.BadCredentials));
        var alert = Assert.Single(_alerts, a => a.Kind == AlertKind.MqttLoginRefused);
        Assert.StartsWith("127.0.0.1:", alert.ClientAddress, StringComparison.Ordinal);

        // A device that trusts another CA refuses the broker.
        using var other = LocalCertificateAuthority.Create("someone else");
        var misled = new TestDevice(entry.Id, entry.Key, UplinkSecurity.Tls(other.CertificateDer, blob.Security.MqttUsername, blob.Security.MqttPassword));
        await Assert.ThrowsAnyAsync<Exception>(() => GatewayWorld.ConnectDeviceAsync(misled, "127.0.0.1", port));
        Assert.Equal(1, _world.Gateway.Ingestor.AcceptedCount);
    }

    [Fact]
    public async Task A_removed_device_and_a_device_paired_again_cannot_log_in_with_their_old_password()
    {
        var first = _world.PairDevice(0xd2);
        var again = _world.Gateway.Pair(0xd2, replace: true);
        await Assert.ThrowsAnyAsync<Exception>(() => GatewayWorld.ConnectDeviceAsync(first, "127.0.0.1", _world.Gateway.MqttPort));
        var current = new TestDevice(again.Id, again.Key, _world.Gateway.UplinkFor(again).ToSecurity());
        using (await GatewayWorld.ConnectDeviceAsync(current, "127.0.0.1", _world.Gateway.MqttPort))
        {
        }

        _world.Gateway.Devices.SetState(0xd2, Devices.DeviceState.Removed);
        await Assert.ThrowsAnyAsync<Exception>(() => GatewayWorld.ConnectDeviceAsync(current, "127.0.0.1", _world.Gateway.MqttPort));
    }

    [Fact]
    public async Task Pairing_for_a_host_the_certificate_does_not_name_is_refused_naming_the_option()
    {
        var e = await Assert.ThrowsAsync<GatewayAdminException>(() => _world.Gateway.Admin.PairAsync(new PairRequest("00000000000000d3", "gateway.example", 8883)));

        Assert.Equal(400, e.Status);
        Assert.Contains("--mqtt-name gateway.example", e.Message, StringComparison.Ordinal);
        Assert.False(_world.Gateway.Devices.TryGet(0xd3, out _));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_ca_survives_a_restart_and_keys_and_database_files_are_the_owners_only()
    {
        var ca = _world.Gateway.BrokerCertificates!.CaCertificateDer;
        var device = _world.PairDevice(0xd4);
        await _world.Gateway.DisposeAsync();
        await _world.StartGatewayAsync(configure: o => o with { MqttServerNames = ["127.0.0.1", "gateway.example"] });

        Assert.Equal(ca, _world.Gateway.BrokerCertificates!.CaCertificateDer);
        Assert.Contains("gateway.example", _world.Gateway.BrokerCertificates.ServerNames);
        using (var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", _world.Gateway.MqttPort))
        {
            Assert.Equal(MqttClientPublishReasonCode.Success, (await GatewayWorld.PublishAsync(client, device.Topic(_world.Patient.Id.ToString()), device.Ecg())).ReasonCode);
        }

        var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        foreach (var file in new[] { BrokerCertificates.CaKeyFile, BrokerCertificates.ServerKeyFile, "gateway.db", "gateway.db-wal", "gateway.db-shm" })
        {
            Assert.Equal((file, ownerOnly), (file, File.GetUnixFileMode(Path.Combine(_world.DataFolder, file))));
        }
    }

    [Fact]
    public async Task With_mqtt_plaintext_the_blob_says_plaintext_and_a_plaintext_device_is_served()
    {
        await _world.Gateway.DisposeAsync();
        await _world.StartGatewayAsync(configure: o => o with { MqttPlaintext = true });
        var paired = await _world.Gateway.Admin.PairAsync(new PairRequest("00000000000000d5", "127.0.0.1", _world.Gateway.MqttPort));
        var blob = PairingBlob.Parse(paired.PairingBlob);
        Assert.True(blob.Security.IsPlaintext);
        Assert.Null(_world.Gateway.BrokerCertificates);
        Assert.True(_world.Gateway.Devices.TryGet(0xd5, out var entry));
        var device = new TestDevice(entry.Id, entry.Key, blob.Security);

        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", _world.Gateway.MqttPort);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await GatewayWorld.PublishAsync(client, device.Topic(_world.Patient.Id.ToString()), device.Ecg())).ReasonCode);
    }
}
