using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Pairing;
using HealthBlock.Wearable.Sampling;
using HealthBlock.Wearable.Sensors;
using HealthBlock.Wearable.Storage;

namespace HealthBlock.Wearable.Core.Tests;

public class WearableCoreTests
{
    private static readonly PairingBlob Pairing = PairingBlob.Create(0xfeedface00000001, "patient-7", TestKeys.Device, "127.0.0.1", 1883, UplinkSecurity.Plaintext(null, null));

    [Fact]
    public void Every_frame_of_a_virtual_minute_decodes_and_verifies_and_sequence_numbers_survive_a_reboot()
    {
        var clock = new ManualClock();
        var slots = new MemoryRecordSlots();
        var uplink = new InMemoryUplink();
        var settings = new WearableSettings { TemperatureIntervalMs = 10_000 };

        var core = Core(settings, clock, slots, uplink);
        Run(core, clock, 30_000);
        var rebooted = Core(settings, clock, slots, uplink);
        Run(rebooted, clock, 30_000);

        var frames = uplink.Published.Select(a => (a.Topic, Frame: DeviceFrame.DecodeAndVerify(a.Payload, TestKeys.Device))).ToList();
        Assert.All(frames, f => Assert.Equal(Pairing.DeviceId, f.Frame.DeviceId));
        Assert.All(frames, f => Assert.Equal("hb/patient-7/feedface00000001/" + SensorKinds.TopicName(f.Frame.Kind), f.Topic));
        var sequences = frames.Select(f => f.Frame.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        Assert.Equal(64u, sequences.SkipWhile(s => s < 64).First());
        Assert.Equal(58, frames.Count(f => f.Frame.Kind == SensorKind.Ecg));
        Assert.Equal(6, frames.Count(f => f.Frame.Kind == SensorKind.Temperature));
        Assert.All(frames.Where(f => f.Frame.Kind == SensorKind.Temperature), f => Assert.Equal(3650, f.Frame.Samples[0]));
    }

    [Fact]
    public void The_runner_streams_frames_in_real_time_and_stops_cleanly()
    {
        var clock = SystemClock.Instance;
        var uplink = new InMemoryUplink();
        var core = new WearableCore(new WearableSettings { EcgSamplesPerFrame = 25 }, Pairing, clock,
            new ScriptedFrontEnd(_ => (2048, false)), new Ad8232Conversion(), null, null,
            new HmacFrameMac(TestKeys.Device), new MemoryCounterStore(), uplink);
        var runner = new WearableRunner(core);

        runner.Start();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (uplink.Published.Count < 5 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        Assert.True(runner.Stop(5000));
        Assert.True(uplink.Published.Count >= 5, $"only {uplink.Published.Count} frames in 20 s");
        Assert.All(uplink.Published, m => DeviceFrame.DecodeAndVerify(m.Payload, TestKeys.Device));
        Assert.Null(runner.LastError);
        Assert.Throws<InvalidOperationException>(() => { runner.Start(); runner.Start(); });
        runner.Stop(5000);
    }

    private static WearableCore Core(WearableSettings settings, ManualClock clock, MemoryRecordSlots slots, InMemoryUplink uplink) =>
        new(settings, Pairing, clock, new ScriptedFrontEnd(i => (2048 + (int)(i % 7), false)), new Ad8232Conversion(),
            new FixedThermometer(3650), null, new HmacFrameMac(TestKeys.Device), new DualSlotCounterStore(slots), uplink);

    private static void Run(WearableCore core, ManualClock clock, long durationMs)
    {
        var end = clock.UtcNowMs + durationMs;
        while (clock.UtcNowMs < end)
        {
            core.PollSampler();
            core.PollUplink();
            clock.Advance(10);
        }
    }
}
