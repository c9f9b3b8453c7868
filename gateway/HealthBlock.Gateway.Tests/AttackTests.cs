using System.Collections.Concurrent;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Frames;
using HealthBlock.TestSupport;
using MQTTnet;

namespace HealthBlock.Gateway.Tests;

/// <summary>Attacks on the gateway's ingest: each must be refused AND raise an alert that names its source.</summary>
public sealed class AttackTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<Alert> _alerts = new();
    private GatewayWorld _world = null!;

    public async Task InitializeAsync()
    {
        _world = await GatewayWorld.StartAsync();
        _world.Gateway.Alerts.Add(new CallbackAlertSink("test", _alerts.Enqueue));
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private string Patient => _world.Patient.Id.ToString();

    [Fact]
    public async Task A_replayed_frame_is_refused_and_alerts_with_the_device_and_client_address()
    {
        var device = _world.PairDevice(0xa77a_c001);
        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", _world.Gateway.MqttPort);
        var first = device.Ecg();
        Assert.Equal(MqttClientPublishReasonCode.Success, (await GatewayWorld.PublishAsync(client, device.Topic(Patient), first)).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await GatewayWorld.PublishAsync(client, device.Topic(Patient), device.Ecg())).ReasonCode);

        var replay = device.Ecg(samples: [1, 2, 3], sequence: 0);
        var ack = await GatewayWorld.PublishAsync(client, device.Topic(Patient), replay);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, ack.ReasonCode);
        var alert = Assert.Single(_alerts);
        Assert.Equal(AlertKind.FrameReplayed, alert.Kind);
        AssertSource(alert, device.Name, "wearable-" + device.Name);
    }

    [Fact]
    public async Task A_frame_with_a_forged_mac_is_refused_and_alerts()
    {
        var device = _world.PairDevice(0xa77a_c002);
        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", _world.Gateway.MqttPort);

        var ack = await GatewayWorld.PublishAsync(client, device.Topic(Patient), device.Frame(SensorKind.Ecg, [5, 6, 7], key: DeviceMac.NewKey()));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, ack.ReasonCode);
        var alert = Assert.Single(_alerts);
        Assert.Equal(AlertKind.FrameAuthenticationFailed, alert.Kind);
        AssertSource(alert, device.Name, "wearable-" + device.Name);
        Assert.Equal(0, _world.Gateway.Ingestor.AcceptedCount);
    }

    [Fact]
    public async Task A_frame_from_an_unpaired_device_is_refused_and_alerts()
    {
        // It logs in with a paired device's credentials: the broker lets it in, the frame's device is what is refused.
        var login = _world.PairDevice(0x600d);
        var stranger = new TestDevice(0xbad_bad, DeviceMac.NewKey(), login.Security);
        using var client = await GatewayWorld.ConnectDeviceAsync(stranger, "127.0.0.1", _world.Gateway.MqttPort);

        var ack = await GatewayWorld.PublishAsync(client, stranger.Topic(Patient), stranger.Ecg());

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, ack.ReasonCode);
        var alert = Assert.Single(_alerts);
        Assert.Equal(AlertKind.UnknownDevice, alert.Kind);
        AssertSource(alert, stranger.Name, "wearable-" + stranger.Name);
        Assert.Equal(1, _world.Gateway.Alerts.Count(AlertKind.UnknownDevice));
    }

    [Fact]
    public async Task A_forged_frame_reaches_a_mailbox_naming_the_device_its_mac_and_its_address()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        using var temp = new TempFolder();
        var arp = temp.Sub("arp");
        await File.WriteAllTextAsync(arp, "IP address  HW type  Flags  HW address  Mask  Device\n127.0.0.1  0x1  0x2  24:0a:c4:aa:bb:cc  *  lo\n");
        await using var world = await GatewayWorld.StartAsync(configure: o => o with
        {
            NeighbourTablePath = arp,
            AlertEmail = new SmtpAlertOptions
            {
                Host = "127.0.0.1",
                Port = smtp.Port,
                Tls = SmtpTlsMode.None,
                From = "HealthBlock gateway <gateway@clinic.test>",
                To = ["security@clinic.test"],
            },
        });
        var device = world.PairDevice(0xa77a_c0de);
        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", world.Gateway.MqttPort);

        var ack = await GatewayWorld.PublishAsync(client, device.Topic(world.Patient.Id.ToString()), device.Frame(SensorKind.Ecg, [5, 6, 7], key: DeviceMac.NewKey()));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, ack.ReasonCode);
        var mail = Assert.Single(await smtp.WaitForMessagesAsync(1));
        Assert.StartsWith($"[HealthBlock] FrameAuthenticationFailed: Frame refused (BadMac) from device {device.Name} at 127.0.0.1:", mail.Subject, StringComparison.Ordinal);
        var lines = TestSmtpServer.BodyLines(mail);
        Assert.Contains("Device id: " + device.Name, lines);
        Assert.Contains("Device MAC address: 24:0a:c4:aa:bb:cc", lines);
        Assert.Contains(lines, l => l.StartsWith("Client address: 127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains("Client id: wearable-" + device.Name, lines);
        Assert.Contains("Node: gateway:" + world.Patient.Id, lines);
    }

    [Fact]
    public async Task A_forged_frame_lights_the_gateways_alert_led_and_an_honest_frame_does_not()
    {
        var driver = new TestGpioDriver();
        using var controller = new System.Device.Gpio.GpioController(driver);
        await using var world = await GatewayWorld.StartAsync(
            configure: o => o with { Gpio = new Gpio.GpioOptions { StatusLedPin = null, PairingButtonPin = null, BuzzerPin = null, AlertLedPin = 27, AlertHold = TimeSpan.FromHours(1) } },
            gpio: controller);
        var device = world.PairDevice(0xa77a_1ed0);
        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", world.Gateway.MqttPort);
        var topic = device.Topic(world.Patient.Id.ToString());

        Assert.Equal(MqttClientPublishReasonCode.Success, (await GatewayWorld.PublishAsync(client, topic, device.Ecg())).ReasonCode);
        Assert.Equal(System.Device.Gpio.PinValue.Low, driver.Level(27));

        var ack = await GatewayWorld.PublishAsync(client, topic, device.Frame(SensorKind.Ecg, [5, 6, 7], key: DeviceMac.NewKey()));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, ack.ReasonCode);
        Assert.Equal(System.Device.Gpio.PinValue.High, driver.Level(27));
    }

    private static void AssertSource(Alert alert, string device, string clientId)
    {
        Assert.Equal(device, alert.DeviceId);
        Assert.Equal(clientId, alert.ClientId);
        Assert.StartsWith("127.0.0.1:", alert.ClientAddress, StringComparison.Ordinal);
        Assert.Contains(device, alert.Message, StringComparison.Ordinal);
    }
}
