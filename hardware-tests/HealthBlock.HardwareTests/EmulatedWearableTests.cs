using HealthBlock.Wearable.Simulation.Wearable;
using HealthBlock.HardwareTests.Infrastructure;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Mqtt;
using HealthBlock.Wearable.Sampling;
using HealthBlock.Wearable.Sensors;

namespace HealthBlock.HardwareTests;

/// <summary>The real firmware core on emulated sensors, in virtual time.</summary>
public class EmulatedWearableTests
{
    [Fact]
    public void A_virtual_minute_yields_verified_frames_of_every_kind()
    {
        var uplink = new InMemoryUplink();
        var options = TestWearables.Options(0x51, settings: new WearableSettings { TemperatureIntervalMs = 10_000 }) with
        {
            BodyTemperatureCelsius = 37.43,
            BloodPressure = (131, 84, 66),
        };
        using var wearable = new EmulatedWearable(options, uplink);
        wearable.RequestBloodPressure();

        wearable.Advance(TimeSpan.FromMinutes(1));

        var frames = uplink.Published.Select(m => (m.Topic, Frame: DeviceFrame.DecodeAndVerify(m.Payload, options.Key))).ToList();
        Assert.All(frames, f =>
        {
            Assert.True(DeviceTopics.TryParse(f.Topic, out var patient, out var device, out var kind), f.Topic);
            Assert.Equal(("patient-81", f.Frame.DeviceId, f.Frame.Kind), (patient, device, (SensorKind)kind));
        });
        Assert.Equal(60, frames.Count(f => f.Frame.Kind == SensorKind.Ecg));
        var temperatures = frames.Where(f => f.Frame.Kind == SensorKind.Temperature).Select(f => f.Frame).ToList();
        Assert.Equal(7, temperatures.Count);
        Assert.All(temperatures, t => Assert.Equal(3743, t.Samples[0]));
        var bp = Assert.Single(frames, f => f.Frame.Kind == SensorKind.BloodPressure).Frame;
        Assert.Equal([131, 84, 66], bp.Samples.ToArray());
        Assert.InRange(bp.TimestampMs, TestWearables.Epoch + 30_000, TestWearables.Epoch + 30_200);
        var sequences = frames.Select(f => f.Frame.Sequence).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => (uint)i), sequences);
        Assert.True(wearable.Statistics.IsDrained);
    }

    [Fact]
    public void A_reboot_continues_above_every_sequence_number_used()
    {
        var slots = new MemoryRecordSlots();
        var uplink = new InMemoryUplink();
        var options = TestWearables.Options(0x52) with { CounterSlots = slots };
        using (var first = new EmulatedWearable(options, uplink))
        {
            first.Advance(TimeSpan.FromSeconds(10));
        }

        var before = uplink.Published.Count;
        using (var second = new EmulatedWearable(options with { VirtualStartMs = TestWearables.Epoch + 60_000 }, uplink))
        {
            second.Advance(TimeSpan.FromSeconds(10));
        }

        var sequences = uplink.Published.Select(m => DeviceFrame.Decode(m.Payload).Sequence).ToList();
        Assert.True(sequences[before] > sequences[before - 1]);
        Assert.Equal(64u, sequences[before]);
        Assert.Equal(sequences.Order(), sequences);
    }

    [Fact]
    public void Sensor_changes_and_failures_show_in_the_frames()
    {
        var uplink = new InMemoryUplink();
        var options = TestWearables.Options(0x53, settings: new WearableSettings { TemperatureIntervalMs = 5_000 }) with
        {
            BodyTemperatureCelsius = 36.81,
            CuffMeasurementTime = TimeSpan.FromSeconds(5),
        };
        using var wearable = new EmulatedWearable(options, uplink);

        wearable.Advance(TimeSpan.FromSeconds(4));
        wearable.Thermometer.ObjectTemperatureCelsius = 39.11;
        wearable.Cuff.NextError = CuffProtocol.ErrorMotion;
        wearable.RequestBloodPressure();
        wearable.Advance(TimeSpan.FromSeconds(4));
        wearable.Thermometer.Absent = true;
        wearable.Advance(TimeSpan.FromSeconds(4));

        var frames = uplink.Published.Select(m => DeviceFrame.DecodeAndVerify(m.Payload, options.Key)).ToList();
        var temperatures = frames.Where(f => f.Kind == SensorKind.Temperature).ToList();
        Assert.Equal([3681, 3911, 0], temperatures.Select(t => (int)t.Samples[0]));
        Assert.Equal([FrameFlags.None, FrameFlags.None, FrameFlags.SensorFault], temperatures.Select(t => t.Flags));
        var bp = Assert.Single(frames, f => f.Kind == SensorKind.BloodPressure);
        Assert.Equal(FrameFlags.SensorFault, bp.Flags);
        Assert.Equal([0, 0, CuffProtocol.ErrorMotion], bp.Samples.ToArray());
    }

    [Fact]
    public void An_outage_of_the_uplink_drops_the_oldest_frames_and_reports_them()
    {
        var uplink = new InMemoryUplink();
        var options = TestWearables.Options(0x54, settings: new WearableSettings { QueueCapacity = 5, TemperatureIntervalMs = 0, ReconnectMaxMs = 2_000 });
        using var wearable = new EmulatedWearable(options, uplink);

        wearable.Advance(TimeSpan.FromSeconds(3));
        uplink.BrokerAvailable = false;
        wearable.Advance(TimeSpan.FromSeconds(20));
        uplink.BrokerAvailable = true;
        Assert.True(wearable.AdvanceUntil(() => wearable.Statistics.IsDrained, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30)));

        var frames = uplink.Published.Select(m => DeviceFrame.DecodeAndVerify(m.Payload, options.Key)).ToList();
        var stats = wearable.Statistics;
        Assert.True(stats.FramesDropped >= 10);
        Assert.Equal(stats.FramesProduced - stats.FramesDropped, frames.Count);
        Assert.Equal(stats.FramesDropped, frames.Sum(f => f.Dropped));
        Assert.Equal(1, frames.Count(f => f.Dropped > 0));
    }

    [Fact]
    public void A_real_time_wearable_cannot_be_advanced_and_a_virtual_one_cannot_be_started()
    {
        using var realTime = new EmulatedWearable(TestWearables.Options(0x55, virtualTime: false), new InMemoryUplink());
        using var virtualTime = new EmulatedWearable(TestWearables.Options(0x56), new InMemoryUplink());

        Assert.Throws<InvalidOperationException>(() => realTime.Advance(TimeSpan.FromSeconds(1)));
        Assert.Throws<InvalidOperationException>(virtualTime.Start);
    }
}
