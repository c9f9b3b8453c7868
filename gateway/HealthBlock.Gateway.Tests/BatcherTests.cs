using System.Collections.Concurrent;
using HealthBlock.Alerts;
using HealthBlock.Gateway.Batching;
using HealthBlock.Gateway.Store;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Gateway.Tests;

public sealed class BatcherTests
{
    [Fact]
    public async Task A_batch_the_ledger_refuses_for_good_is_parked_counted_and_alerted_and_the_next_batch_commits()
    {
        await using var world = await GatewayWorld.StartAsync();
        var alerts = new ConcurrentQueue<Alert>();
        world.Gateway.Alerts.Add(new CallbackAlertSink("test", alerts.Enqueue));
        var refused = new ConcurrentQueue<RefusedBatch>();
        world.Gateway.Batcher.Refused += refused.Enqueue;

        // Someone with the patient's key publishes batch 1 first: the gateway's own batch 1 is then refused for good
        // (BatchReused: the ledger never accepts a batch number twice).
        var epoch = world.Gateway.Keys.CurrentEpoch()!.Epoch;
        var cid = await world.Store.PutAsync(new byte[] { 1, 2, 3 });
        var squatter = new LedgerSubmitter(world.Patient, TestNetwork.Of(world.Ledger), new StoreNonceCounter(world.Gateway.Store), world.Ledger);
        await squatter.SubmitAndWaitAsync(new IotPayload(epoch, 1, cid, 1_764_000_000_000, 1_764_000_001_000, [SensorKind.Ecg], 1));

        var device = world.PairDevice(0x0ba7_c4e5);
        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", world.Gateway.MqttPort);
        var topic = device.Topic(world.Patient.Id.ToString());
        await GatewayWorld.PublishAsync(client, topic, device.Ecg());
        await Eventually.WaitUntilAsync(() => world.Gateway.Batcher.RefusedBatches == 1, "the refused batch to be parked", TimeSpan.FromSeconds(30));
        await GatewayWorld.PublishAsync(client, topic, device.Ecg());
        await Eventually.WaitUntilAsync(() => world.Gateway.Batcher.CommittedFrames == 1, "the next batch to commit", TimeSpan.FromSeconds(30));

        var parked = Assert.Single(refused);
        Assert.Equal(1ul, parked.Batch);
        Assert.Equal(RejectReason.BatchReused, parked.Reason);
        var row = world.Gateway.Store.Batches.Read(1);
        Assert.Equal("refused", row.State);
        Assert.StartsWith("BatchReused", row.Reason, StringComparison.Ordinal);
        Assert.Equal(1, world.Gateway.Batcher.RefusedBatches);
        Assert.Equal(0, world.Gateway.Batcher.Failures);
        Assert.Equal(0, world.Gateway.Batcher.Backlog());
        Assert.Equal((1L, 1L), world.Gateway.Store.Batches.RefusedTotals());

        var alert = Assert.Single(alerts, a => a.Kind == AlertKind.TransactionRefused);
        Assert.Equal(world.Patient.Id.ToString(), alert.IdentityId);
        Assert.Equal("1", alert.Details["batch"]);
        Assert.Equal(parked.TransactionId, alert.Details["transaction"]);
        Assert.Equal("BatchReused", alert.Details["reason"]);
        Assert.Equal(world.Patient.Id.ToString(), alert.Details["patient"]);

        // The second frame went into batch 2, which the ledger took; batch 1 was never submitted again.
        var iot = (await world.IotTransactionsAsync()).Select(t => (IotPayload)t.Transaction.Body.Payload).ToList();
        Assert.Equal([1ul, 2ul], iot.Select(p => p.Batch));
    }

    [Fact]
    public async Task The_batcher_wakes_on_ingest_and_at_the_end_of_the_window_without_polling()
    {
        // The safety-net poll is an hour: a batch commits within the test only if the ingest wakes the batcher and the
        // batcher then sleeps exactly until the oldest frame's window ends.
        await using var world = await GatewayWorld.StartAsync(configure: o => o with
        {
            Batching = new BatchOptions { Window = TimeSpan.FromMilliseconds(200), PollInterval = TimeSpan.FromHours(1) },
        });
        var device = world.PairDevice(0x0ba7_0001);
        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", world.Gateway.MqttPort);
        var topic = device.Topic(world.Patient.Id.ToString());
        for (var round = 1; round <= 3; round++)
        {
            await GatewayWorld.PublishAsync(client, topic, device.Ecg());
            await Eventually.WaitUntilAsync(() => world.Gateway.Batcher.CommittedFrames == round, $"batch {round}", TimeSpan.FromSeconds(30));
        }

        Assert.Equal(3, world.Gateway.Batcher.CommittedBatches);
    }

    [Fact]
    public async Task Each_iot_transaction_names_the_kinds_and_time_span_the_journal_recorded()
    {
        await using var world = await GatewayWorld.StartAsync();
        var device = world.PairDevice(0x0ba7_0002);
        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", world.Gateway.MqttPort);
        var patient = world.Patient.Id.ToString();
        var ecg = device.Ecg();
        var temperature = device.Frame(SensorKind.Temperature, [3700]);
        await GatewayWorld.PublishAsync(client, device.Topic(patient), ecg);
        await GatewayWorld.PublishAsync(client, device.Topic(patient, SensorKind.Temperature), temperature);
        await Eventually.WaitUntilAsync(() => world.Gateway.Batcher.CommittedFrames == 2, "both frames", TimeSpan.FromSeconds(30));

        var frames = new[] { DeviceFrame.Decode(ecg), DeviceFrame.Decode(temperature) };
        var payloads = (await world.IotTransactionsAsync()).Select(t => (IotPayload)t.Transaction.Body.Payload).ToList();
        Assert.Equal(frames.Min(f => f.TimestampMs), payloads.Min(p => p.WindowStartMs));
        Assert.Equal(frames.Max(f => f.TimestampMs + f.DurationMs), payloads.Max(p => p.WindowEndMs));
        Assert.Equal([SensorKind.Ecg, SensorKind.Temperature], payloads.SelectMany(p => p.Kinds).Distinct().Order());
    }
}
