using HealthBlock.Wearable.Simulation.Wearable;
using HealthBlock.HardwareTests.Infrastructure;
using HealthBlock.Protocol.Frames;
using HealthBlock.Wearable.Sampling;

namespace HealthBlock.HardwareTests;

/// <summary>Emulated wearables publishing through MQTTnet to a real in-process broker that goes down and comes back.</summary>
[Trait("Category", "Slow")]
public class MqttFleetTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_frame_is_received_or_reported_dropped_across_a_broker_restart()
    {
        await using var broker = await TestBroker.StartAsync();
        var settings = new WearableSettings { QueueCapacity = 8, TemperatureIntervalMs = 5_000, ReconnectInitialMs = 200, ReconnectMaxMs = 2_000 };
        var options = Enumerable.Range(1, 4)
            .Select(i => TestWearables.Options(0xA000_0000_0000_0000ul + (ulong)i, broker.Port, settings: settings))
            .ToList();
        await using var subscriber = await FrameSubscriber.ConnectAsync("127.0.0.1", broker.Port, options.ToDictionary(o => o.DeviceId, o => o.Key));
        var wearables = options.Select(EmulatedWearable.WithMqtt).ToList();
        try
        {
            // Broker up: ten virtual seconds, everything arrives.
            Parallel.ForEach(wearables, w => w.Advance(TimeSpan.FromSeconds(10)));
            Assert.True(await subscriber.WaitForAsync(f => Distinct(f) == wearables.Sum(w => w.Statistics.FramesSent), Wait));

            // Broker down for thirty virtual seconds: the bounded queues overflow and drop their oldest readings.
            await broker.StopAsync();
            await Eventually.WaitUntilAsync(() => wearables.All(w => !w.Uplink.IsConnected), "every wearable to notice the broker is gone", Wait);
            Parallel.ForEach(wearables, w => w.Advance(TimeSpan.FromSeconds(30)));
            Assert.All(wearables, w => Assert.True(w.Statistics.FramesDropped > 0));

            // Broker back: the wearables reconnect with backoff and drain their queues.
            await broker.StartAgainAsync();
            await subscriber.ReconnectAsync();
            var drained = wearables.AsParallel().Select(w => w.AdvanceUntil(() => w.Statistics.IsDrained, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(60))).ToList();
            Assert.All(drained, Assert.True);
            Assert.True(await subscriber.WaitForAsync(f => Distinct(f) == wearables.Sum(w => w.Statistics.FramesSent), Wait));

            Assert.Empty(subscriber.Rejected);
            foreach (var w in wearables)
            {
                var stats = w.Statistics;
                var mine = subscriber.Frames.Where(r => r.Frame.DeviceId == w.Options.DeviceId)
                    .DistinctBy(r => r.Frame.Sequence)
                    .OrderBy(r => r.Frame.Sequence)
                    .Select(r => r.Frame)
                    .ToList();
                Assert.Equal(stats.FramesProduced - stats.FramesDropped, mine.Count);
                Assert.Equal(stats.FramesDropped, mine.Sum(f => f.Dropped));
                var ecgTimes = mine.Where(f => f.Kind == SensorKind.Ecg).Select(f => f.TimestampMs).ToList();
                Assert.Equal(ecgTimes.Order(), ecgTimes);
                Assert.True(stats.Connects >= 2);
            }
        }
        finally
        {
            foreach (var w in wearables)
            {
                w.Dispose();
            }
        }
    }

    private static int Distinct(IReadOnlyList<ReceivedFrame> frames) => frames.DistinctBy(f => (f.Frame.DeviceId, f.Frame.Sequence)).Count();
}
