using HealthBlock.Gateway.Devices;
using HealthBlock.Gateway.Ingest;
using HealthBlock.Gateway.Mqtt;
using HealthBlock.Protocol.Pairing;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace HealthBlock.Gateway.Tests;

public sealed class MosquittoTlsTests
{
    [MosquittoBinaryFact]
    public async Task Mosquitto_from_the_gateways_files_serves_devices_over_tls_with_their_logins_and_keeps_each_on_its_own_topic()
    {
        var port = MosquittoProcess.FreePort();
        await using var world = await GatewayWorld.StartAsync(externalBroker: new Uri($"mqtts://127.0.0.1:{port}"));
        var patient = world.Patient.Id.ToString();
        var alice = world.PairDevice(0x00_a1_1c_e0_00_00_00_01);
        var bob = world.PairDevice(0x00_b0_b0_00_00_00_00_02);
        var folder = Path.Combine(world.DataFolder, "mosquitto");
        var passwords = await File.ReadAllLinesAsync(Path.Combine(folder, MosquittoConfiguration.PasswordFile));
        Assert.Equal(
            new[] { GatewayBrokerLogin.UsernameFor(patient), alice.Name, bob.Name }.Order(StringComparer.Ordinal),
            passwords.Select(l => l.Split(':')[0]).Order(StringComparer.Ordinal));
        Assert.All(passwords, l => Assert.StartsWith("$7$", l.Split(':')[1], StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, MosquittoConfiguration.KeyFile)));
        }

        using var broker = await MosquittoProcess.StartAsync(Path.Combine(folder, MosquittoConfiguration.ConfigFile), port);
        await Eventually.WaitUntilAsync(() => world.Gateway.External!.IsConnected, "the gateway's TLS login to Mosquitto", TimeSpan.FromSeconds(30));

        // A device with its blob's CA and login: its frames arrive.
        using var aliceClient = await GatewayWorld.ConnectDeviceAsync(alice, "127.0.0.1", port);
        for (var i = 0; i < 20; i++)
        {
            var ack = await GatewayWorld.PublishAsync(aliceClient, alice.Topic(patient), alice.Ecg());
            Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        }

        await Eventually.WaitUntilAsync(() => world.Gateway.Ingestor.AcceptedCount == 20, "alice's frames journalled", TimeSpan.FromSeconds(30));

        // A wrong password, and no login at all, are refused at CONNECT.
        var wrong = new TestDevice(alice.Id, alice.Key, UplinkSecurity.Tls(alice.Security!.GetCaCertificate(), alice.Name, "not-the-password"));
        Assert.Contains(await RefusalAsync(wrong, port), Refusals);
        var anonymous = new TestDevice(alice.Id, alice.Key, UplinkSecurity.Tls(alice.Security!.GetCaCertificate(), null!, null!));
        Assert.Contains(await RefusalAsync(anonymous, port), Refusals);

        // Bob, logged in, publishes a frame of his own on alice's topic: the ACL drops it, the gateway never sees it.
        // (Mosquitto acknowledges or drops the connection, depending on the protocol version; either way nothing is forwarded.)
        using (var intruder = await GatewayWorld.ConnectDeviceAsync(bob, "127.0.0.1", port))
        {
            try
            {
                await GatewayWorld.PublishAsync(intruder, alice.Topic(patient), bob.Ecg());
            }
            catch (MqttCommunicationException)
            {
            }
        }

        using var bobClient = await GatewayWorld.ConnectDeviceAsync(bob, "127.0.0.1", port);
        var own = await GatewayWorld.PublishAsync(bobClient, bob.Topic(patient), bob.Ecg());
        Assert.Equal(MqttClientPublishReasonCode.Success, own.ReasonCode);
        await Eventually.WaitUntilAsync(() => world.Gateway.Ingestor.AcceptedCount == 21, "bob's frame on his own topic", TimeSpan.FromSeconds(30));
        Assert.False(world.Gateway.Ingestor.Rejections.ContainsKey(FrameRejection.TopicMismatch), "Mosquitto let bob publish on alice's topic");

        // A device paired while Mosquitto runs logs in: the gateway rewrites the files and sends the Mosquitto of its
        // pid_file SIGHUP itself (nobody else signals it here).
        var carol = world.PairDevice(0x00_ca_50_10_00_00_00_03);
        await Eventually.WaitUntilAsync(async () =>
        {
            try
            {
                using var carolClient = await GatewayWorld.ConnectDeviceAsync(carol, "127.0.0.1", port);
                return (await GatewayWorld.PublishAsync(carolClient, carol.Topic(patient), carol.Ecg())).ReasonCode == MqttClientPublishReasonCode.Success;
            }
            catch (Exception e) when (e is InvalidOperationException or MqttCommunicationException)
            {
                return false;
            }
        }, "carol's login after the reload", TimeSpan.FromSeconds(30));
        await Eventually.WaitUntilAsync(() => world.Gateway.Ingestor.AcceptedCount >= 22, "carol's frame", TimeSpan.FromSeconds(30));

        // Unpaired, carol can no longer log in to Mosquitto either: the gateway signalled it again.
        world.Gateway.Devices.SetState(carol.Id, DeviceState.Removed);
        await Eventually.WaitUntilAsync(async () =>
        {
            try
            {
                using var carolClient = await GatewayWorld.ConnectDeviceAsync(carol, "127.0.0.1", port);
                return false;
            }
            catch (InvalidOperationException e)
            {
                return Refusals.Any(r => e.Message.Contains(r, StringComparison.Ordinal));
            }
        }, "Mosquitto refusing carol's login after the unpairing", TimeSpan.FromSeconds(30));
    }

    private static readonly string[] Refusals = [nameof(MqttClientConnectResultCode.NotAuthorized), nameof(MqttClientConnectResultCode.BadUserNameOrPassword)];

    /// <summary>The CONNACK code of a refused CONNECT, as <see cref="GatewayWorld.ConnectDeviceAsync"/> names it.</summary>
    private static async Task<string> RefusalAsync(TestDevice device, int port)
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", port));
        return Refusals.FirstOrDefault(r => refused.Message.Contains(r, StringComparison.Ordinal)) ?? refused.Message;
    }

    [Fact]
    public async Task A_plaintext_external_broker_without_the_opt_out_is_refused_naming_it()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => GatewayWorld.StartAsync(externalBroker: new Uri("mqtt://127.0.0.1:1883")));
        Assert.Contains("--mqtt-plaintext", refused.Message, StringComparison.Ordinal);
    }
}
