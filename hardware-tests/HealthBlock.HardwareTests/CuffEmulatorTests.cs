using System.Text;
using HealthBlock.Wearable.Simulation;
using HealthBlock.Wearable.Simulation.Cuff;
using HealthBlock.Wearable.Hardware;
using HealthBlock.Wearable.Sensors;

namespace HealthBlock.HardwareTests;

/// <summary>The cuff emulator and the firmware's cuff driver talking over the emulator's stream pair.</summary>
public class CuffEmulatorTests
{
    private readonly ManualClock _clock = new(1_000_000);
    private readonly CuffEmulator _cuff;
    private readonly CuffClient _driver;
    private readonly BloodPressureReading _reading = new();

    public CuffEmulatorTests()
    {
        _cuff = new CuffEmulator(_clock) { MeasurementTime = TimeSpan.FromSeconds(30), Result = (134, 86, 71, 0) };
        _driver = new CuffClient(_cuff.OpenChannel());
    }

    [Fact]
    public void A_measurement_round_trips_in_thirty_virtual_seconds()
    {
        Assert.True(_driver.StartMeasurement(_clock.UtcNowMs));

        var (state, elapsed) = RunDriver();

        Assert.Equal(CuffPoll.Completed, state);
        Assert.Equal((134, 86, 71), (_reading.Systolic, _reading.Diastolic, _reading.Pulse));
        Assert.InRange(elapsed, 30_000, 30_100);
        Assert.Equal(["M"], _cuff.Commands);
        Assert.Equal(1, _cuff.Measurements);
    }

    [Theory]
    [InlineData(CuffProtocol.ErrorCuffLoose)]
    [InlineData(CuffProtocol.ErrorAirLeak)]
    [InlineData(CuffProtocol.ErrorMotion)]
    [InlineData(CuffProtocol.ErrorOverPressure)]
    [InlineData(CuffProtocol.ErrorNoPulse)]
    [InlineData(CuffProtocol.ErrorLowBattery)]
    public void An_error_reply_fails_the_measurement_with_its_code(int code)
    {
        _cuff.NextError = code;
        _driver.StartMeasurement(_clock.UtcNowMs);

        var (state, _) = RunDriver();

        Assert.Equal(CuffPoll.Failed, state);
        Assert.Equal(code, _reading.ErrorCode);
    }

    [Fact]
    public void Garbage_bytes_and_a_corrupted_line_do_not_stop_the_result()
    {
        var noise = new byte[300];
        new Random(7).NextBytes(noise);
        _cuff.InjectNoise(noise);
        _cuff.InjectNoise("\n\r\nBP,999,1,1,0*00\n"u8);
        _cuff.CorruptNextChecksum = true; // the ACK arrives damaged
        _driver.StartMeasurement(_clock.UtcNowMs);
        _cuff.InjectNoise([0x00, 0x0A, 0xFF]);

        var (state, _) = RunDriver();

        Assert.Equal(CuffPoll.Completed, state);
        Assert.Equal(134, _reading.Systolic);
        Assert.True(_driver.GarbageLines >= 1);
    }

    [Fact]
    public void A_silent_cuff_fails_with_no_response()
    {
        _cuff.Silent = true;
        _driver.StartMeasurement(_clock.UtcNowMs);

        var (state, elapsed) = RunDriver();

        Assert.Equal(CuffPoll.Failed, state);
        Assert.Equal(CuffProtocol.ErrorNoResponse, _reading.ErrorCode);
        Assert.InRange(elapsed, 3_000, 3_200);
    }

    [Fact]
    public void A_cuff_that_never_finishes_is_aborted_at_the_timeout()
    {
        _cuff.MeasurementTime = TimeSpan.FromMinutes(10);
        _driver.StartMeasurement(_clock.UtcNowMs);

        var (state, _) = RunDriver();

        Assert.Equal(CuffPoll.Failed, state);
        Assert.Equal(CuffProtocol.ErrorTimeout, _reading.ErrorCode);
        Assert.Equal(["M", "X"], _cuff.Commands);
    }

    [Fact]
    public void The_raw_protocol_answers_busy_abort_status_and_unknown_commands()
    {
        var channel = _cuff.OpenChannel();

        Send(channel, "M\n");
        Send(channel, "S\r\n");
        Send(channel, "M\n");
        Send(channel, "X\n");
        Send(channel, "S\n");
        Send(channel, "Q\n");

        Assert.Equal("ACK,M*28\r\nST,1*1A\r\nERR,7*5E\r\nERR,8*51\r\nST,0*1B\r\nERR,9*50\r\n", ReadAll(channel));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(string.Empty, ReadAll(channel));
    }

    private (int State, long ElapsedMs) RunDriver()
    {
        var start = _clock.UtcNowMs;
        for (var i = 0; i < 10_000; i++)
        {
            var state = _driver.Poll(_clock.UtcNowMs, _reading);
            if (state != CuffPoll.Pending)
            {
                return (state, _clock.UtcNowMs - start);
            }

            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException("the driver never finished");
    }

    private static void Send(ISerialChannel channel, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        channel.Write(bytes, 0, bytes.Length);
    }

    private static string ReadAll(ISerialChannel channel)
    {
        var buffer = new byte[256];
        var text = new StringBuilder();
        int n;
        while ((n = channel.ReadAvailable(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return text.ToString();
    }
}
