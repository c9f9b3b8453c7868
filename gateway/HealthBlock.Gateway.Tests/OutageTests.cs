using System.Diagnostics;
using HealthBlock.Protocol.Ledger;
using MQTTnet;
using Xunit.Abstractions;

namespace HealthBlock.Gateway.Tests;

[Trait("Category", "Slow")]
public sealed class OutageTests(ITestOutputHelper output)
{
    /// <summary>Outage length: short in CI; the fault suite sets 60 s.</summary>
    private static int OutageSeconds => int.TryParse(Environment.GetEnvironmentVariable("HEALTHBLOCK_OUTAGE_SECONDS"), out var s) ? s : 3;

    [Fact]
    public async Task With_store_and_ledger_unreachable_the_gateway_keeps_acknowledging_buffers_and_catches_up_losing_nothing()
    {
        await using var world = await GatewayWorld.StartAsync(realNode: true);
        var doctor = await world.RegisterDoctorAsync("Dr. Outage");
        await world.Gateway.Keys.GrantAsync(doctor.Id);
        var outage = new Outage();
        await world.Gateway.DisposeAsync();
        await world.StartGatewayAsync(ledger: new OutageLedger(world.Ledger, outage), store: new OutageStore(world.Store, outage));
        var device = world.PairDevice(0x07a6e);
        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", world.Gateway.MqttPort);
        var sent = new List<byte[]>();

        async Task SendForAsync(TimeSpan duration)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                var frame = device.Ecg();
                Assert.Equal(MqttClientPublishReasonCode.Success, (await GatewayWorld.PublishAsync(client, device.Topic(world.Patient.Id.ToString()), frame)).ReasonCode);
                sent.Add(frame);
                await Task.Delay(50);
            }
        }

        await SendForAsync(TimeSpan.FromSeconds(1));
        outage.Down = true;
        await SendForAsync(TimeSpan.FromSeconds(OutageSeconds));
        var backlogDuringOutage = world.Gateway.Batcher.Backlog();
        Assert.True(world.Gateway.Batcher.Failures > 0);
        Assert.True(backlogDuringOutage > 0);
        outage.Down = false;
        var recovery = Stopwatch.StartNew();
        await SendForAsync(TimeSpan.FromSeconds(1));
        await Eventually.WaitUntilAsync(() => world.Gateway.Batcher.Backlog() == 0, "the backlog to drain", TimeSpan.FromSeconds(60));
        output.WriteLine($"{OutageSeconds} s outage: {backlogDuringOutage} frames buffered, {world.Gateway.Batcher.Failures} failed attempts, caught up {recovery.Elapsed.TotalMilliseconds:F0} ms after the store and ledger came back");

        var keys = await world.DoctorIotKeysAsync(doctor);
        var committed = new List<byte[]>();
        foreach (var iot in await world.IotTransactionsAsync())
        {
            committed.AddRange((await world.OpenBatchAsync(iot, keys[((IotPayload)iot.Transaction.Body.Payload).Epoch])).Frames);
        }

        Assert.Equal(sent.Select(Convert.ToHexString), committed.Select(Convert.ToHexString));
    }
}
