using HealthBlock.Wearable.Simulation.Wearable;
using HealthBlock.HardwareTests.Infrastructure;
using HealthBlock.Protocol.Frames;
using HealthBlock.Wearable.Sampling;

namespace HealthBlock.HardwareTests;

/// <summary>
/// What any wearable's stream must satisfy, checked on frames a subscriber received, decoded and verified. The same
/// checks run against an emulated wearable (below) and a flashed device (<see cref="DeviceStreamTests"/>).
/// </summary>
public static class StreamChecks
{
    public static readonly TimeSpan EcgWait = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan TemperatureWait = TimeSpan.FromSeconds(100);

    /// <summary>At least four ECG frames: 250 Hz, at most 250 samples, each starting where the previous one ended.</summary>
    public static async Task EcgTilesTimeAt250HzAsync(FrameSubscriber subscriber)
    {
        Assert.True(await subscriber.WaitForAsync(f => Ecg(f).Count >= 5, EcgWait), "fewer than 5 ECG frames arrived");
        Assert.Empty(subscriber.Rejected);

        var ecg = Ecg(subscriber.Frames).Take(5).ToList();
        Assert.All(ecg, f => Assert.Equal(250_000u, f.RateMilliHz));
        Assert.All(ecg, f => Assert.InRange(f.Samples.Length, 1, 250));
        for (var i = 1; i < ecg.Count; i++)
        {
            Assert.Equal(ecg[i - 1].TimestampMs + (ecg[i - 1].Samples.Length * 4L), ecg[i].TimestampMs);
        }
    }

    /// <summary>Sequence numbers only grow.</summary>
    public static async Task SequenceNumbersIncreaseAsync(FrameSubscriber subscriber)
    {
        Assert.True(await subscriber.WaitForAsync(f => f.Count >= 5, EcgWait), "fewer than 5 frames arrived");

        var sequences = subscriber.Frames.Select(r => r.Frame.Sequence).ToList();
        Assert.Equal(sequences.Distinct().Order(), sequences.Distinct());
    }

    /// <summary>A temperature frame with a body temperature (or flagged as a sensor fault).</summary>
    public static async Task TemperatureIsPlausibleAsync(FrameSubscriber subscriber)
    {
        Assert.True(await subscriber.WaitForAsync(f => f.Any(r => r.Frame.Kind == SensorKind.Temperature), TemperatureWait), "no temperature frame arrived");

        var t = subscriber.Frames.First(r => r.Frame.Kind == SensorKind.Temperature).Frame;
        Assert.Equal(1, t.Samples.Length);
        if (!t.Flags.HasFlag(FrameFlags.SensorFault))
        {
            Assert.InRange(t.Samples[0], 2500, 4500);
        }
    }

    private static List<DeviceFrame> Ecg(IReadOnlyList<ReceivedFrame> frames) =>
        frames.Select(r => r.Frame).Where(f => f.Kind == SensorKind.Ecg && f.Flags == FrameFlags.None).OrderBy(f => f.Sequence).ToList();
}

/// <summary>An emulated wearable in real time on its own threads, publishing to an in-process broker.</summary>
public sealed class EmulatedStreamFixture : IAsyncLifetime
{
    private TestBroker? _broker;

    public FrameSubscriber Subscriber { get; private set; } = null!;

    public EmulatedWearable Wearable { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _broker = await TestBroker.StartAsync();
        var options = TestWearables.Options(0x5EA1_0000_0000_0001, _broker.Port, virtualTime: false, new WearableSettings { TemperatureIntervalMs = 1_000 });
        Subscriber = await FrameSubscriber.ConnectAsync("127.0.0.1", _broker.Port, new Dictionary<ulong, byte[]> { [options.DeviceId] = options.Key });
        Wearable = EmulatedWearable.WithMqtt(options);
        Wearable.Start();
    }

    public async Task DisposeAsync()
    {
        Wearable.Dispose();
        await Subscriber.DisposeAsync();
        await _broker!.DisposeAsync();
    }
}

public class EmulatedStreamTests(EmulatedStreamFixture fixture) : IClassFixture<EmulatedStreamFixture>
{
    [Fact]
    public Task Ecg_frames_verify_and_tile_time_at_250_Hz() => StreamChecks.EcgTilesTimeAt250HzAsync(fixture.Subscriber);

    [Fact]
    public Task Sequence_numbers_increase() => StreamChecks.SequenceNumbersIncreaseAsync(fixture.Subscriber);

    [Fact]
    public Task Temperature_frames_carry_a_body_temperature() => StreamChecks.TemperatureIsPlausibleAsync(fixture.Subscriber);
}

/// <summary>
/// The same checks against a flashed wearable: set <c>HEALTHBLOCK_DEVICE</c> and <c>HEALTHBLOCK_PAIRING</c>
/// (hardware-tests/README.md); the subscriber listens on the broker and topic of that pairing.
/// </summary>
[Trait("hardware", "device")]
public class DeviceStreamTests
{
    [DeviceFact]
    public Task Device_ecg_frames_verify_and_tile_time_at_250_Hz() => WithDeviceAsync(StreamChecks.EcgTilesTimeAt250HzAsync);

    [DeviceFact]
    public Task Device_sequence_numbers_increase() => WithDeviceAsync(StreamChecks.SequenceNumbersIncreaseAsync);

    [DeviceFact]
    public Task Device_temperature_frames_carry_a_body_temperature() => WithDeviceAsync(StreamChecks.TemperatureIsPlausibleAsync);

    private static async Task WithDeviceAsync(Func<FrameSubscriber, Task> check)
    {
        var pairing = DeviceUnderTest.Pairing;
        await using var subscriber = await FrameSubscriber.ConnectAsync(
            pairing.BrokerHost,
            pairing.BrokerPort,
            new Dictionary<ulong, byte[]> { [pairing.DeviceId] = pairing.GetKey() },
            pairing.BaseTopic + "/#");
        await check(subscriber);
    }
}
