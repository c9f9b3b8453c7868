using HealthBlock.Gateway.Store;
using HealthBlock.Protocol.Frames;
using HealthBlock.TestSupport;
using MQTTnet;

namespace HealthBlock.Gateway.Tests;

/// <summary>
/// At rest (docs/security.md G7): once a batch is committed its frames' readings are gone from <c>gateway.db</c> — only
/// sequence numbers and MAC tags stay — and a retransmission of a committed frame is still a duplicate, not a replay.
/// </summary>
public sealed class AtRestTests
{
    [Fact]
    public async Task Committed_frames_leave_no_reading_in_gateway_db_and_a_late_retransmission_is_still_a_duplicate()
    {
        await using var world = await GatewayWorld.StartAsync();

        // Readings nobody could mistake for anything else in the file: a 250-sample ramp from a marker value.
        var (device, topic, samples, frames) = await world.PublishRampAsync(0x0a7e5, 0x3A00, 5);
        await Eventually.WaitUntilAsync(() => world.Gateway.Batcher.CommittedFrames == frames.Count, "the frames to be committed", TimeSpan.FromSeconds(30));
        await world.Gateway.DisposeAsync();

        var marker = frames[0].AsSpan(FrameLayout.HeaderSize, 64).ToArray();
        DatabaseBytes.AssertNowhere(world.DataFolder, marker, "a committed frame's samples");

        // After a restart the device resends its last frame (its PUBACK was lost): acknowledged as a duplicate, no alert.
        await world.StartGatewayAsync();
        using var again = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", world.Gateway.MqttPort);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await GatewayWorld.PublishAsync(again, topic, frames[^1])).ReasonCode);
        Assert.Equal(0, world.Gateway.Ingestor.Rejections.GetValueOrDefault(Ingest.FrameRejection.Replay));

        // Other bytes under a committed sequence number are still a replay.
        var forged = device.Frame(SensorKind.Ecg, [.. samples.Select(s => (short)(s + 1))], sequence: 4);
        Assert.NotEqual(MqttClientPublishReasonCode.Success, (await GatewayWorld.PublishAsync(again, topic, forged)).ReasonCode);
        Assert.Equal(1, world.Gateway.Ingestor.Rejections.GetValueOrDefault(Ingest.FrameRejection.Replay));
    }

    [Fact]
    public void The_systemd_unit_makes_files_owner_only_and_bounds_descriptors_above_the_listener_limit()
    {
        var unit = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data", "healthblock-gateway.service"));

        Assert.Contains("UMask=0077", unit);
        var limit = Assert.Single(unit, l => l.StartsWith("LimitNOFILE=", StringComparison.Ordinal));
        var descriptors = int.Parse(limit["LimitNOFILE=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(descriptors > new Mqtt.MqttListenerLimits().MaxConnections * 2, $"LimitNOFILE={descriptors} leaves no room above the listener's connection limit");
    }
}
