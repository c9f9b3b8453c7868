using System.Collections.Concurrent;
using HealthBlock.Gateway.Live;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Wearable.Simulation.Wearable;
using MQTTnet;
using MQTTnet.Protocol;

namespace HealthBlock.Gateway.Tests;

/// <summary>
/// The live path through a real broker: sealed sub-batches go out QoS 0 on <c>hb/live/&lt;patient&gt;</c> as the frames
/// arrive, and each period's IoT transaction commits exactly those sealed bytes (Merkle root, range, stored bundle).
/// </summary>
public sealed class LivePathTests
{
    private static GatewayOptions Live(GatewayOptions o) =>
        o with { Live = new LiveOptions { SealInterval = TimeSpan.FromMilliseconds(100), Period = TimeSpan.FromMilliseconds(900) } };

    [Fact]
    public async Task Live_sub_batches_on_the_embedded_broker_open_with_the_doctors_key_and_are_exactly_what_the_periods_commit()
    {
        await using var world = await GatewayWorld.StartAsync(configure: Live);
        // The embedded broker takes only logins of paired devices over TLS: the subscriber uses one (doctors reach the
        // live path through the consortium broker in deployments; see docs/design-notes/ledger-growth.md).
        await CheckLivePathAsync(world, "127.0.0.1", world.Gateway.MqttPort, 0x11ce_0001, world.PairDevice(0x11ce_00f1));
    }

    [MosquittoFact]
    public async Task Live_sub_batches_through_a_real_mosquitto_are_exactly_what_the_periods_commit()
    {
        var broker = new Uri(Environment.GetEnvironmentVariable(MosquittoFactAttribute.Variable)!);
        await using var world = await GatewayWorld.StartAsync(externalBroker: broker, configure: o => Live(o) with { MqttPlaintext = true }); // the CI broker is plaintext
        await Eventually.WaitUntilAsync(() => world.Gateway.External!.IsConnected, "the gateway's subscription", TimeSpan.FromSeconds(10));
        await CheckLivePathAsync(world, broker.Host, broker.Port, 0x11ce_0002);
    }

    [Fact]
    public async Task The_embedded_broker_serves_only_live_subscriptions_and_takes_no_live_publish_from_a_client()
    {
        await using var world = await GatewayWorld.StartAsync(configure: Live);
        var patient = world.Patient.Id;
        using var spy = new MqttClientFactory().CreateMqttClient();
        var spyLogin = world.PairDevice(0x11ce_00f2);
        await spy.ConnectAsync(DeviceTlsOptions.Builder("127.0.0.1", world.Gateway.MqttPort, "spy", spyLogin.Security).Build());
        var frames = await spy.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter($"hb/{patient}/+/+").Build());
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, frames.Items.Single().ResultCode);

        var received = new ConcurrentBag<byte[]>();
        spy.ApplicationMessageReceivedAsync += e =>
        {
            received.Add(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload));
            return Task.CompletedTask;
        };
        var live = await spy.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(LiveTopic.For(patient), MqttQualityOfServiceLevel.AtMostOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS0, live.Items.Single().ResultCode);

        // A forged "sub-batch" published by a client is consumed as a (malformed) frame, never forwarded.
        await spy.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(LiveTopic.For(patient)).WithPayload(new byte[64]).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        var device = world.PairDevice(0x11ce_0003);
        using var wearable = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", world.Gateway.MqttPort);
        await GatewayWorld.PublishAsync(wearable, device.Topic(patient.ToString()), device.Ecg());
        await Eventually.WaitUntilAsync(() => !received.IsEmpty, "the real sub-batch", TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        Assert.All(received, p => Assert.Equal(1UL, LiveBatch.SequenceOf(p)));
        Assert.Single(received);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_seal_on_write_a_journalled_frame_is_sealed_at_once_rather_than_at_the_end_of_the_seal_interval(bool sealOnWrite)
    {
        // A ten-minute interval: within this test only a seal triggered by the journal write can seal anything.
        await using var world = await GatewayWorld.StartAsync(configure: o => o with
        {
            Live = new LiveOptions { SealInterval = TimeSpan.FromMinutes(10), Period = TimeSpan.FromMinutes(20), SealOnWrite = sealOnWrite },
        });
        var sealedBatches = new ConcurrentQueue<LiveSubBatch>();
        world.Gateway.Live!.SubBatchSealed += sealedBatches.Enqueue;
        var device = world.PairDevice(0x11ce_0004);
        using var wearable = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", world.Gateway.MqttPort);
        await GatewayWorld.PublishAsync(wearable, device.Topic(world.Patient.Id.ToString()), device.Ecg());
        await Eventually.WaitUntilAsync(() => world.Gateway.Ingestor.AcceptedCount == 1, "the frame journalled", TimeSpan.FromSeconds(10));
        if (sealOnWrite)
        {
            await Eventually.WaitUntilAsync(() => !sealedBatches.IsEmpty, "the sub-batch sealed on the write", TimeSpan.FromSeconds(10));
            await GatewayWorld.PublishAsync(wearable, device.Topic(world.Patient.Id.ToString()), device.Ecg());
            await Eventually.WaitUntilAsync(() => sealedBatches.Count == 2, "the second write's sub-batch", TimeSpan.FromSeconds(10));
            Assert.Equal([1UL, 2UL], sealedBatches.Select(b => b.Sequence));
        }
        else
        {
            await Task.Delay(500);
            Assert.Empty(sealedBatches);
            Assert.Equal(1, await world.Gateway.Live.SealNowAsync(CancellationToken.None));
        }
    }

    private static async Task CheckLivePathAsync(GatewayWorld world, string host, int port, ulong deviceId, TestDevice? login = null)
    {
        var doctor = await world.RegisterDoctorAsync("Dr. Live");
        await world.Gateway.Keys.GrantAsync(doctor.Id);
        var patient = world.Patient.Id;
        var live = new ConcurrentQueue<byte[]>();
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            live.Enqueue(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload));
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(login is null
            ? new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId("doctor-live-" + deviceId).Build()
            : DeviceTlsOptions.Builder(host, port, "doctor-live-" + deviceId, login.Security).Build());
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(LiveTopic.For(patient), MqttQualityOfServiceLevel.AtMostOnce).Build());

        var device = world.PairDevice(deviceId);
        using var wearable = await GatewayWorld.ConnectDeviceAsync(device, host, port);
        var sent = new List<byte[]>();
        for (var i = 0; i < 40; i++)
        {
            var kind = i % 8 == 5 ? SensorKind.Temperature : SensorKind.Ecg;
            var frame = kind == SensorKind.Ecg ? device.Ecg() : device.Frame(kind, [3702]);
            Assert.Equal(MqttClientPublishReasonCode.Success, (await GatewayWorld.PublishAsync(wearable, device.Topic(patient.ToString(), kind), frame)).ReasonCode);
            sent.Add(frame);
            if (i % 10 == 9)
            {
                await Task.Delay(250);
            }
        }

        await Eventually.WaitUntilAsync(() => world.Gateway.Batcher.CommittedFrames == sent.Count, "all frames committed", TimeSpan.FromSeconds(30));
        var (epoch, iotKey) = (await world.DoctorIotKeysAsync(doctor)).Single();

        // Every live message opens under the epoch's key; together, in sequence order, they carry every frame once.
        var opened = live.Select(p => LiveBatch.Open(p, iotKey, patient, epoch)).OrderBy(b => b.Sequence).ToList();
        Assert.True(opened.Count >= 2, $"{opened.Count} sub-batches");
        Assert.Equal(sent.Select(Convert.ToHexString), opened.SelectMany(b => b.Frames).Select(Convert.ToHexString));

        // The periods commit exactly the sealed bytes sent live: anchors verify against the stored bundles.
        var committedLeaves = new List<string>();
        foreach (var iot in await world.IotTransactionsAsync())
        {
            var p = (IotPayload)iot.Transaction.Body.Payload;
            Assert.NotNull(p.Live);
            var bundle = LiveBundle.Decode(await world.Store.GetAsync(p.Cid));
            bundle.Verify(patient, p.Epoch, p.Live!);
            Assert.Equal((uint)bundle.SealedBatches.Sum(b => LiveBatch.Open(b, iotKey, patient, p.Epoch).Frames.Count), p.FrameCount);
            committedLeaves.AddRange(bundle.Leaves().Select(Convert.ToHexString));
        }

        Assert.Equal(live.Select(p => Convert.ToHexString(LiveBatch.Hash(p))).Order(), committedLeaves.Order());
        Assert.True((await world.IotTransactionsAsync()).Count < opened.Count, "a period commits several sub-batches");
        Assert.Equal(0, world.Gateway.Batcher.Backlog());
    }
}
