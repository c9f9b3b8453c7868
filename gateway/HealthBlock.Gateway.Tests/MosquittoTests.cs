using MQTTnet;
using MQTTnet.Protocol;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Gateway.Tests;

/// <summary>A test that needs the Mosquitto broker <c>.ci/run</c> starts; reported as skipped, with the reason, without it.</summary>
public sealed class MosquittoFactAttribute : FactAttribute
{
    public const string Variable = "HEALTHBLOCK_MQTT_URL";

    public MosquittoFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set: start Mosquitto with interop/mosquitto/mosquitto.sh (as .ci/run does) and set it";
        }
    }
}

public sealed class MosquittoTests
{
    private static Uri Broker => new(Environment.GetEnvironmentVariable(MosquittoFactAttribute.Variable)!);

    /// <summary>The CI broker (interop/mosquitto/mosquitto.sh) is plaintext and anonymous; the TLS path is <see cref="MosquittoTlsTests"/>.</summary>
    private static GatewayOptions Plaintext(GatewayOptions options) => options with { MqttPlaintext = true };

    [MosquittoFact]
    public async Task Frames_through_a_real_mosquitto_are_journalled_and_committed_exactly_as_sent()
    {
        await using var world = await GatewayWorld.StartAsync(externalBroker: Broker, realNode: true, configure: Plaintext);
        var doctor = await world.RegisterDoctorAsync("Dr. Mosquitto");
        await world.Gateway.Keys.GrantAsync(doctor.Id);
        var device = world.PairDevice(0x00_5eed_0f_0f);
        await Eventually.WaitUntilAsync(() => world.Gateway.External!.IsConnected, "the gateway's subscription", TimeSpan.FromSeconds(10));
        using var client = await GatewayWorld.ConnectDeviceAsync(device, Broker.Host, Broker.Port);

        var sent = new List<byte[]>();
        for (var i = 0; i < 200; i++)
        {
            var frame = device.Ecg();
            var ack = await GatewayWorld.PublishAsync(client, device.Topic(world.Patient.Id.ToString()), frame);
            Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
            sent.Add(frame);
        }

        await Eventually.WaitUntilAsync(() => world.Gateway.Batcher.CommittedFrames == sent.Count, "all frames committed", TimeSpan.FromSeconds(60));
        var keys = await world.DoctorIotKeysAsync(doctor);
        var received = new List<byte[]>();
        foreach (var iot in await world.IotTransactionsAsync())
        {
            var p = (IotPayload)iot.Transaction.Body.Payload;
            received.AddRange((await world.OpenBatchAsync(iot, keys[p.Epoch])).Frames);
        }

        Assert.Equal(sent.Select(Convert.ToHexString), received.Select(Convert.ToHexString));
    }

    [MosquittoFact]
    public async Task Frames_published_while_the_gateway_is_down_are_delivered_from_its_persistent_session()
    {
        await using var world = await GatewayWorld.StartAsync(externalBroker: Broker, realNode: true, configure: Plaintext);
        var device = world.PairDevice(0x00_5eed_0f_10);
        await Eventually.WaitUntilAsync(() => world.Gateway.External!.IsConnected, "the gateway's subscription", TimeSpan.FromSeconds(10));
        using var client = await GatewayWorld.ConnectDeviceAsync(device, Broker.Host, Broker.Port);
        var topic = device.Topic(world.Patient.Id.ToString());
        for (var i = 0; i < 20; i++)
        {
            await GatewayWorld.PublishAsync(client, topic, device.Ecg());
        }

        await Eventually.WaitUntilAsync(() => world.Gateway.Ingestor.AcceptedCount == 20, "the first frames", TimeSpan.FromSeconds(30));
        await world.Gateway.DisposeAsync();
        for (var i = 0; i < 20; i++)
        {
            var ack = await GatewayWorld.PublishAsync(client, topic, device.Ecg());
            Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        }

        await world.StartGatewayAsync(externalBroker: Broker, configure: Plaintext);
        await Eventually.WaitUntilAsync(() => world.Gateway.Batcher.Backlog() == 0 && world.Gateway.Ingestor.AcceptedCount == 20, "the queued frames", TimeSpan.FromSeconds(60));
        var batches = (await world.IotTransactionsAsync()).Select(t => (IotPayload)t.Transaction.Body.Payload).ToList();
        Assert.Equal(40, batches.Sum(b => (int)b.FrameCount));
    }
}
