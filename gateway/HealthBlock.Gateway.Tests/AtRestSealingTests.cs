using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Batching;
using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Mqtt;
using HealthBlock.Gateway.Store;
using HealthBlock.Protocol.Frames;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Tests;

/// <summary>
/// At rest (docs/security.md G7, G8): the raw bytes of <c>gateway.db</c>, <c>-wal</c> and <c>-shm</c> hold no reading of
/// a frame that waits for its batch or sits in a parked batch, and none of the gateway's secret keys.
/// </summary>
public sealed class AtRestSealingTests
{
    [Fact]
    public async Task Waiting_frames_are_sealed_in_gateway_db_and_a_tampered_row_parks_its_batch_logged_and_counted_with_its_frames_still_sealed()
    {
        using var lines = new LogLines(LogLevel.Warning);
        await using var world = await GatewayWorld.StartAsync(configure: o => o with { Batching = new BatchOptions { Window = TimeSpan.FromHours(1) } });
        var (device, topic, _, frames) = await world.PublishRampAsync(0x5ea1ed, 0x3B00, 5);

        // Acknowledged, hence journalled; the batch window (an hour) keeps them waiting.
        var marker = frames[2].AsSpan(FrameLayout.HeaderSize, 64).ToArray();
        Assert.Equal(frames.Count, world.Gateway.Store.Backlog());
        DatabaseBytes.AssertNowhere(world.DataFolder, marker, "a waiting frame's samples");
        await world.Gateway.DisposeAsync();
        DatabaseBytes.AssertNowhere(world.DataFolder, marker, "a waiting frame's samples");

        // Someone with the disk flips one bit of a sealed row; the next gateway cannot open it.
        using (var c = new SqliteConnection($"Data Source={Path.Combine(world.DataFolder, GatewayStore.FileName)};Pooling=False"))
        {
            c.Open();
            var sequence = (long)DeviceFrame.Decode(frames[2]).Sequence;
            using var read = new SqliteCommand("SELECT bytes FROM frames WHERE seq = $s", c);
            read.Parameters.AddWithValue("$s", sequence);
            var sealedRow = (byte[])read.ExecuteScalar()!;
            Assert.Equal(frames[2].Length + Aead.Overhead, sealedRow.Length);
            sealedRow[sealedRow.Length / 2] ^= 0x01;
            using var write = new SqliteCommand("UPDATE frames SET bytes = $b WHERE seq = $s", c);
            write.Parameters.AddWithValue("$b", sealedRow);
            write.Parameters.AddWithValue("$s", sequence);
            Assert.Equal(1, write.ExecuteNonQuery());
        }

        await world.StartGatewayAsync(loggers: lines.Factory());
        await Eventually.WaitUntilAsync(() => world.Gateway.Batcher.RefusedBatches == 1, "the batch with the altered row to be parked", TimeSpan.FromSeconds(30));
        Assert.Equal((1L, (long)frames.Count), world.Gateway.Store.Batches.RefusedTotals());
        Assert.StartsWith("TamperedJournal: journal row ", world.Gateway.Store.Batches.Read(1).Reason);
        Assert.Equal(1, world.Gateway.Store.FrameSeal.Tampered);
        Assert.Contains(lines.Lines, l => l.Level == LogLevel.Error && l.Text.Contains("fails its at-rest seal", StringComparison.Ordinal));
        Assert.Equal(1, world.Gateway.Alerts.Count(AlertKind.StoreTampered));
        Assert.True(world.Gateway.Running);
        Assert.Equal(0, world.Gateway.Batcher.CommittedBatches);

        // The altered row cannot vouch for a retransmission of its frame: refused as a replay, not acknowledged as a duplicate.
        using (var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", world.Gateway.MqttPort))
        {
            Assert.NotEqual(MQTTnet.MqttClientPublishReasonCode.Success, (await GatewayWorld.PublishAsync(client, topic, frames[2])).ReasonCode);
            Assert.Equal(MQTTnet.MqttClientPublishReasonCode.Success, (await GatewayWorld.PublishAsync(client, topic, frames[3])).ReasonCode);
        }

        Assert.Equal(1, world.Gateway.Ingestor.Rejections.GetValueOrDefault(Ingest.FrameRejection.Replay));
        Assert.Equal(2, world.Gateway.Store.FrameSeal.Tampered);

        // The parked batch keeps its frames, still sealed, until the operator re-submits or drops them.
        DatabaseBytes.AssertNowhere(world.DataFolder, marker, "a parked frame's samples");
        await world.Gateway.DisposeAsync();
        DatabaseBytes.AssertNowhere(world.DataFolder, marker, "a parked frame's samples");

        // The operator lists the parked batch and drops its readings through the signed admin endpoint: every frame
        // keeps only its sequence number and tag (the altered one nothing), and a second drop is refused.
        await world.StartGatewayAsync();
        using var admin = new Admin.AdminClient(world.Gateway.AdminEndpoint!.Url, world.Patient);
        var listed = Assert.Single(await admin.ParkedAsync());
        Assert.Equal((1UL, (long)frames.Count, (long)frames.Count), (listed.Batch, listed.Frames, listed.FramesHeld));
        Assert.StartsWith("TamperedJournal: journal row ", listed.Reason, StringComparison.Ordinal);
        var dropped = await admin.DropParkedAsync(1);
        Assert.Equal(0, dropped.FramesHeld);
        Assert.Equal(0, Assert.Single(await admin.ParkedAsync()).FramesHeld);
        Assert.Equal(409, (await Assert.ThrowsAsync<Admin.GatewayAdminException>(() => admin.DropParkedAsync(1))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<Admin.GatewayAdminException>(() => admin.DropParkedAsync(7))).Status);
        Assert.All(world.Gateway.Store.Frames.After(0, 100), f => Assert.True(f.Bytes.Length <= FrameTags.MaxLength, $"frame row {f.Id} still holds {f.Bytes.Length} bytes"));

        // A retransmission of a dropped, intact frame is still a duplicate, not a replay.
        var replays = world.Gateway.Ingestor.Rejections.GetValueOrDefault(Ingest.FrameRejection.Replay);
        using (var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", world.Gateway.MqttPort))
        {
            Assert.Equal(MQTTnet.MqttClientPublishReasonCode.Success, (await GatewayWorld.PublishAsync(client, topic, frames[0])).ReasonCode);
        }

        Assert.Equal(replays, world.Gateway.Ingestor.Rejections.GetValueOrDefault(Ingest.FrameRejection.Replay));
    }

    [Fact]
    public async Task Gateway_db_holds_no_device_iot_diagnosis_local_or_broker_key_in_clear()
    {
        await using var world = await GatewayWorld.StartAsync();
        var gateway = world.Gateway;
        var first = gateway.Pair(0xd0_0001);
        var second = gateway.Pair(0xd0_0002);
        var doctor = await world.RegisterDoctorAsync("Dr. At Rest");
        await gateway.Keys.GrantAsync(doctor.Id);
        var broker = GatewayBrokerLogin.LoadOrCreate(gateway.Store, gateway.Sealer, world.Patient.Id.ToString());

        var secrets = new List<(string What, byte[] Bytes)>
        {
            ("device key 1", first.Key),
            ("device key 2", second.Key),
            ("device MQTT password 1", System.Text.Encoding.UTF8.GetBytes(first.MqttPassword!)),
            ("device MQTT password 2", System.Text.Encoding.UTF8.GetBytes(second.MqttPassword!)),
            ("gateway broker password", System.Text.Encoding.UTF8.GetBytes(broker.Password)),
            ("local key", Envelope.Open(world.Patient, 0, EnvelopePurpose.LocalKey, gateway.Store.Meta.Get(SecretSealer.MetaName)!)),
        };
        var current = gateway.Keys.CurrentEpoch()!;
        for (var epoch = 1u; epoch <= current.Epoch; epoch++)
        {
            secrets.Add(($"IoT key of epoch {epoch}", gateway.Keys.Epoch(epoch)!.IotKey));
        }

        secrets.AddRange(gateway.Keys.Doctors().Select(d => ($"diagnosis key of {d.Id}", d.DiagnosisKey)));
        Assert.True(current.Epoch >= 1 && secrets.Count >= 8, $"{secrets.Count} secrets, epoch {current.Epoch}");
        Assert.All(secrets, s => Assert.True(s.Bytes.Length >= 16, s.What));

        foreach (var (what, bytes) in secrets)
        {
            DatabaseBytes.AssertNowhere(world.DataFolder, bytes, what);
        }

        await gateway.DisposeAsync();
        foreach (var (what, bytes) in secrets)
        {
            DatabaseBytes.AssertNowhere(world.DataFolder, bytes, what);
        }
    }

    [Fact]
    public void An_altered_row_stops_the_batch_read_with_a_specific_error_and_readers_that_follow_the_journal_pass_it()
    {
        using var temp = new TempFolder();
        using var store = GatewayStore.Open(temp.Path);
        SecretSealer.Open(store, TestKeys.Patient);
        var device = new TestDevice(0x0a17e4, DeviceMac.NewKey());
        var frames = Enumerable.Range(1, 3).Select(i => device.Ecg(sequence: (uint)i)).ToList();
        using (var appender = store.Frames.OpenAppender())
        {
            appender.Append([.. frames.Select((f, i) => new FrameToAppend(DeviceFrame.Decode(f), 1, i))]);
        }

        // Moving a sealed frame to another row is an alteration too: the row's identity is the seal's associated data.
        store.Run(c => Data.SqliteStatements.NonQuery(c, null, "UPDATE frames SET bytes = (SELECT bytes FROM frames WHERE seq = 1) WHERE seq = 2"));
        var batch = store.Batches.AssignDue(1, long.MaxValue, TimeSpan.Zero, 1 << 20)!.Value;

        var error = Assert.Throws<TamperedFrameException>(() => store.Frames.ForBatch(batch));
        Assert.Contains("sequence 2) fails its at-rest seal", error.Message, StringComparison.Ordinal);
        Assert.Equal([frames[0], [], frames[2]], store.Frames.After(0, 10).Select(f => f.Bytes));
        Assert.Equal(2, store.FrameSeal.Tampered);
    }
}
