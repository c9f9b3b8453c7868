using HealthBlock.Crypto;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using MQTTnet.Protocol;

namespace HealthBlock.Gateway.Tests;

public sealed class EndToEndTests : IAsyncLifetime
{
    private GatewayWorld _world = null!;

    public async Task InitializeAsync() => _world = await GatewayWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Frames_published_over_mqtt_decrypt_from_the_committed_iot_transactions_exactly_as_sent()
    {
        var doctor = await _world.RegisterDoctorAsync("Dr. Ecg");
        await _world.Gateway.Keys.GrantAsync(doctor.Id);
        var device = _world.PairDevice(0xe5f6_0001);
        var patient = _world.Patient.Id.ToString();
        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", _world.Gateway.MqttPort);

        var sent = new List<byte[]>();
        for (var i = 0; i < 60; i++)
        {
            var kind = (i % 10) switch { 3 => SensorKind.Temperature, 7 => SensorKind.BloodPressure, _ => SensorKind.Ecg };
            short[] samples = kind switch { SensorKind.Temperature => [3712], SensorKind.BloodPressure => [128, 82, 70], _ => [.. Enumerable.Range(i, 250).Select(v => (short)v)] };
            var frame = device.Frame(kind, samples);
            var ack = await GatewayWorld.PublishAsync(client, device.Topic(patient, kind), frame);
            Assert.Equal(MQTTnet.MqttClientPublishReasonCode.Success, ack.ReasonCode);
            sent.Add(frame);
        }

        await Eventually.WaitUntilAsync(() => _world.Gateway.Batcher.CommittedFrames == sent.Count, "all frames committed", TimeSpan.FromSeconds(30));

        var keys = await _world.DoctorIotKeysAsync(doctor);
        var received = new List<byte[]>();
        foreach (var iot in await _world.IotTransactionsAsync())
        {
            Assert.True(iot.Transaction.VerifySignature(_world.Patient.Public));
            var p = (IotPayload)iot.Transaction.Body.Payload;
            received.AddRange((await _world.OpenBatchAsync(iot, keys[p.Epoch])).Frames);
        }

        Assert.Equal(sent.Select(Convert.ToHexString), received.Select(Convert.ToHexString));
        Assert.Equal(0, _world.Gateway.Batcher.Backlog());
    }

    [Fact]
    public async Task Bad_frames_over_mqtt_get_a_refusing_puback_and_are_counted()
    {
        var device = _world.PairDevice(0xbad);
        var patient = _world.Patient.Id.ToString();
        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", _world.Gateway.MqttPort);

        var forged = device.Frame(SensorKind.Ecg, [1, 2, 3], key: DeviceMac.NewKey());
        var refused = await GatewayWorld.PublishAsync(client, device.Topic(patient), forged);
        var malformed = await GatewayWorld.PublishAsync(client, device.Topic(patient), [0xFF, 0x00]);
        var good = await GatewayWorld.PublishAsync(client, device.Topic(patient), device.Ecg());

        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.NotAuthorized, refused.ReasonCode);
        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.PayloadFormatInvalid, malformed.ReasonCode);
        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.Success, good.ReasonCode);
        Assert.Equal(1, _world.Gateway.Ingestor.Rejections[Ingest.FrameRejection.BadMac]);
        Assert.Equal(1, _world.Gateway.Ingestor.Rejections[Ingest.FrameRejection.MalformedFrame]);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task After_revoke_the_revoked_doctors_keys_decrypt_nothing_published_after_it()
    {
        var kept = await _world.RegisterDoctorAsync("Dr. Kept");
        var revoked = await _world.RegisterDoctorAsync("Dr. Revoked");
        await _world.Gateway.Keys.GrantAsync(kept.Id);
        var before = await _world.Gateway.Keys.GrantAsync(revoked.Id);
        var device = _world.PairDevice(0x5eed);
        var patient = _world.Patient.Id.ToString();
        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", _world.Gateway.MqttPort);

        for (var i = 0; i < 5; i++)
        {
            await GatewayWorld.PublishAsync(client, device.Topic(patient), device.Ecg());
        }

        await Eventually.WaitUntilAsync(() => _world.Gateway.Batcher.CommittedFrames == 5, "frames before revocation", TimeSpan.FromSeconds(30));
        var after = await _world.Gateway.Keys.RevokeAsync(revoked.Id);
        Assert.True(after.Epoch > before.Epoch);
        Assert.NotEqual(before.IotKey, after.IotKey);
        var sentAfter = new List<byte[]>();
        for (var i = 0; i < 5; i++)
        {
            var frame = device.Ecg();
            sentAfter.Add(frame);
            await GatewayWorld.PublishAsync(client, device.Topic(patient), frame);
        }

        await Eventually.WaitUntilAsync(() => _world.Gateway.Batcher.CommittedFrames == 10, "frames after revocation", TimeSpan.FromSeconds(30));

        var revokedKeys = await _world.DoctorIotKeysAsync(revoked);
        var keptKeys = await _world.DoctorIotKeysAsync(kept);
        Assert.DoesNotContain(after.Epoch, revokedKeys.Keys);
        var afterRevocation = (await _world.IotTransactionsAsync()).Where(t => ((IotPayload)t.Transaction.Body.Payload).Epoch >= after.Epoch).ToList();
        Assert.NotEmpty(afterRevocation);
        var openedByKept = new List<byte[]>();
        foreach (var iot in afterRevocation)
        {
            var p = (IotPayload)iot.Transaction.Body.Payload;
            openedByKept.AddRange((await _world.OpenBatchAsync(iot, keptKeys[p.Epoch])).Frames);
            foreach (var key in revokedKeys.Values)
            {
                await Assert.ThrowsAsync<CryptoException>(() => _world.OpenBatchAsync(iot, key));
            }
        }

        // The doctor who stays reads exactly the five frames sent after the revocation, in order.
        Assert.Equal(sentAfter.Select(Convert.ToHexString), openedByKept.Select(Convert.ToHexString));
        var status = await _world.Ledger.GetPatientKeysAsync(_world.Patient.Id);
        Assert.Equal([kept.Id], status!.Doctors);
    }

    [Fact]
    public async Task A_ciphertext_moved_to_another_transaction_fails_authentication()
    {
        var doctor = await _world.RegisterDoctorAsync("Dr. Aad");
        await _world.Gateway.Keys.GrantAsync(doctor.Id);
        var device = _world.PairDevice(0xaad);
        using var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", _world.Gateway.MqttPort);
        await GatewayWorld.PublishAsync(client, device.Topic(_world.Patient.Id.ToString()), device.Ecg());
        await Eventually.WaitUntilAsync(() => _world.Gateway.Batcher.CommittedFrames == 1, "one batch", TimeSpan.FromSeconds(30));
        var iot = (await _world.IotTransactionsAsync()).Single();
        var p = (IotPayload)iot.Transaction.Body.Payload;
        var key = (await _world.DoctorIotKeysAsync(doctor))[p.Epoch];
        var ciphertext = await _world.Store.GetAsync(p.Cid);

        Assert.Throws<CryptoException>(() => IotBatch.Open(ciphertext, key, _world.Patient.Id, p.Epoch, p.Batch + 1));
        Assert.Throws<CryptoException>(() => IotBatch.Open(ciphertext, key, doctor.Id, p.Epoch, p.Batch));
        Assert.Single(IotBatch.Open(ciphertext, key, _world.Patient.Id, p.Epoch, p.Batch).Frames);
    }

    [Fact]
    public async Task Publishing_resumes_after_a_gateway_restart_without_publishing_twice()
    {
        var device = _world.PairDevice(0x1234);
        var patient = _world.Patient.Id.ToString();
        using (var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", _world.Gateway.MqttPort))
        {
            for (var i = 0; i < 10; i++)
            {
                await GatewayWorld.PublishAsync(client, device.Topic(patient), device.Ecg());
            }
        }

        await _world.Gateway.DisposeAsync();
        await _world.StartGatewayAsync();
        using (var client = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", _world.Gateway.MqttPort))
        {
            for (var i = 0; i < 10; i++)
            {
                await GatewayWorld.PublishAsync(client, device.Topic(patient), device.Ecg());
            }
        }

        await Eventually.WaitUntilAsync(() => _world.Gateway.Batcher.Backlog() == 0, "backlog drained", TimeSpan.FromSeconds(30));
        var batches = (await _world.IotTransactionsAsync()).Select(t => (IotPayload)t.Transaction.Body.Payload).ToList();
        Assert.Equal(20, batches.Sum(b => (int)b.FrameCount));
        Assert.Equal(batches.Count, batches.Select(b => b.Batch).Distinct().Count());
    }
}
