using HealthBlock.Protocol.Frames;
using HealthBlock.Wearable.Hardware;
using HealthBlock.Wearable.Sampling;
using HealthBlock.Wearable.Sensors;
using HealthBlock.Wearable.Uplink;

namespace HealthBlock.Wearable.Core.Tests;

public class SamplingSchedulerTests
{
    private const long T0 = 1_750_000_000_000;

    [Theory]
    [InlineData(4)]
    [InlineData(37)]
    [InlineData(250)]
    public void Ecg_comes_in_blocks_of_250_samples_at_250_Hz_that_tile_time_whatever_the_poll_period(int pollMs)
    {
        var (scheduler, queue) = Scheduler(new ScriptedFrontEnd(i => (2048 + (int)(i % 100), false)));

        RunFor(scheduler, T0, 10_000, pollMs);
        scheduler.Poll(T0 + 9_996);

        var frames = Drain(queue).Where(r => r.Kind == FrameLayout.KindEcg).ToList();
        Assert.Equal(10, frames.Count);
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(250, frames[i].Samples.Length);
            Assert.Equal(250_000u, frames[i].RateMilliHz);
            Assert.Equal(T0 + (i * 1000L), frames[i].TimestampMs);
            Assert.Equal(0, frames[i].Flags);
        }

        // Sample k of the run is ADC count 2048 + k % 100, i.e. (k % 100) × 8.06 µV.
        var conversion = new Ad8232Conversion();
        var all = frames.SelectMany(f => f.Samples).ToArray();
        Assert.Equal(Enumerable.Range(0, 2500).Select(k => conversion.ToMicrovolts(2048 + (k % 100))), all);
        Assert.Equal(0, scheduler.TimelineRestarts);
    }

    [Fact]
    public void Frames_are_split_where_the_leads_come_off_and_back_and_lead_off_frames_carry_zeros()
    {
        // Leads off for samples 100 to 399.
        var (scheduler, queue) = Scheduler(new ScriptedFrontEnd(i => (2300, i is >= 100 and < 400)));

        RunFor(scheduler, T0, 4_000, 20);
        scheduler.Flush();

        var frames = Drain(queue).Where(r => r.Kind == FrameLayout.KindEcg).ToList();
        Assert.Equal([100, 250, 50, 250, 250, 96], frames.Select(f => f.Samples.Length));
        Assert.Equal([0, FrameLayout.FlagLeadOff, FrameLayout.FlagLeadOff, 0, 0, 0], frames.Select(f => f.Flags));
        Assert.All(frames.Where(f => f.Flags == FrameLayout.FlagLeadOff), f => Assert.All(f.Samples, s => Assert.Equal(0, s)));
        Assert.All(frames.Where(f => f.Flags == 0), f => Assert.All(f.Samples, s => Assert.Equal(2030, s)));
        long expected = T0;
        foreach (var f in frames)
        {
            Assert.Equal(expected, f.TimestampMs);
            expected += f.Samples.Length * 4L;
        }

        Assert.Equal(2, scheduler.LeadOffFrames);
    }

    [Fact]
    public void A_sample_on_an_adc_rail_marks_its_frame_as_a_sensor_fault()
    {
        var (scheduler, queue) = Scheduler(new ScriptedFrontEnd(i => (i == 300 ? 4095 : 2048, false)));

        RunFor(scheduler, T0, 2_000, 100);
        scheduler.Flush();

        var frames = Drain(queue).ToList();
        Assert.Equal([0, FrameLayout.FlagSensorFault], frames.Select(f => f.Flags));
    }

    [Fact]
    public void A_stall_or_a_clock_step_closes_the_block_and_restarts_the_timeline()
    {
        var (scheduler, queue) = Scheduler(new ScriptedFrontEnd(_ => (2048, false)));
        scheduler.Poll(T0);
        scheduler.Poll(T0 + 500);

        scheduler.Poll(T0 + 60_000);
        scheduler.Poll(T0 + 61_000);

        var frames = Drain(queue).ToList();
        Assert.Equal(1, scheduler.TimelineRestarts);
        Assert.Equal(126, frames[0].Samples.Length);
        Assert.Equal(T0, frames[0].TimestampMs);
        Assert.Equal(T0 + 60_000, frames[1].TimestampMs);
        Assert.Equal(250, frames[1].Samples.Length);
    }

    [Fact]
    public void Temperature_is_read_every_interval_and_a_failure_is_sent_as_a_fault()
    {
        var thermometer = new FixedThermometer(3712);
        var (scheduler, queue) = Scheduler(new ScriptedFrontEnd(_ => (2048, false)), thermometer, temperatureIntervalMs: 5_000);

        RunFor(scheduler, T0, 12_000, 100);
        thermometer.Fail = true;
        RunFor(scheduler, T0 + 12_000, 4_000, 100);

        var temps = Drain(queue).Where(r => r.Kind == FrameLayout.KindTemperature).ToList();
        Assert.Equal([T0, T0 + 5_000, T0 + 10_000, T0 + 15_000], temps.Select(t => t.TimestampMs));
        Assert.Equal([3712, 3712, 3712, 0], temps.Select(t => (int)t.Samples[0]));
        Assert.Equal([0, 0, 0, FrameLayout.FlagSensorFault], temps.Select(t => t.Flags));
        Assert.All(temps, t => Assert.Equal(200u, t.RateMilliHz));
    }

    [Fact]
    public void Blood_pressure_is_measured_on_demand_without_stopping_the_ecg()
    {
        var cuff = new ScriptedCuff { DurationMs = 30_000 };
        var (scheduler, queue) = Scheduler(new ScriptedFrontEnd(_ => (2048, false)), cuff: cuff);
        scheduler.Poll(T0);
        scheduler.RequestBloodPressure();

        RunFor(scheduler, T0, 40_000, 50);

        var readings = Drain(queue).ToList();
        var bp = Assert.Single(readings, r => r.Kind == FrameLayout.KindBloodPressure);
        Assert.Equal([(short)118, (short)76, (short)64], bp.Samples);
        Assert.InRange(bp.TimestampMs, T0 + 30_000, T0 + 30_100);
        Assert.Equal(39, readings.Count(r => r.Kind == FrameLayout.KindEcg));
        Assert.Equal(1, cuff.Starts);
    }

    [Fact]
    public void Blood_pressure_runs_on_its_interval_and_a_failed_measurement_is_sent_with_its_error_code()
    {
        var cuff = new ScriptedCuff { DurationMs = 1_000, ErrorCode = CuffProtocol.ErrorMotion };
        var (scheduler, queue) = Scheduler(new ScriptedFrontEnd(_ => (2048, false)), cuff: cuff, bloodPressureIntervalMs: 10_000);

        RunFor(scheduler, T0, 25_000, 100);

        var bp = Drain(queue).Where(r => r.Kind == FrameLayout.KindBloodPressure).ToList();
        Assert.Equal(2, bp.Count);
        Assert.All(bp, r => Assert.Equal(FrameLayout.FlagSensorFault, r.Flags));
        Assert.All(bp, r => Assert.Equal([(short)0, (short)0, (short)CuffProtocol.ErrorMotion], r.Samples));
        Assert.Equal(2, scheduler.BloodPressureFailures);
    }

    [Fact]
    public void Poll_returns_the_next_due_time()
    {
        var (scheduler, _) = Scheduler(new ScriptedFrontEnd(_ => (2048, false)));

        Assert.Equal(T0 + 4, scheduler.Poll(T0));
        Assert.Equal(T0 + 12, scheduler.Poll(T0 + 10));
    }

    [Fact]
    public void Settings_out_of_range_are_refused_by_name()
    {
        var settings = new WearableSettings { TagLength = 12 };

        var e = Assert.Throws<ArgumentOutOfRangeException>(settings.Validate);

        Assert.Equal("TagLength", e.ParamName);
    }

    internal static void RunFor(SamplingScheduler scheduler, long startMs, long durationMs, int pollMs)
    {
        for (var t = startMs; t < startMs + durationMs; t += pollMs)
        {
            scheduler.Poll(t);
        }
    }

    private static (SamplingScheduler Scheduler, ReadingQueue Queue) Scheduler(
        IEcgFrontEnd ecg,
        IThermometer? thermometer = null,
        ICuff? cuff = null,
        int temperatureIntervalMs = 0,
        int bloodPressureIntervalMs = 0)
    {
        var settings = new WearableSettings
        {
            TemperatureIntervalMs = temperatureIntervalMs,
            BloodPressureIntervalMs = bloodPressureIntervalMs,
            QueueCapacity = 1000,
        };
        var queue = new ReadingQueue(settings.QueueCapacity);
        return (new SamplingScheduler(settings, ecg, new Ad8232Conversion(), thermometer, cuff, queue), queue);
    }

    private static IEnumerable<Reading> Drain(ReadingQueue queue)
    {
        while (queue.Dequeue() is { } r)
        {
            yield return r;
        }
    }

    private sealed class ScriptedCuff : ICuff
    {
        private long _startedMs = -1;

        public long DurationMs { get; init; }

        public int ErrorCode { get; init; }

        public int Starts { get; private set; }

        public bool StartMeasurement(long nowMs)
        {
            if (_startedMs >= 0)
            {
                return false;
            }

            Starts++;
            _startedMs = nowMs;
            return true;
        }

        public int Poll(long nowMs, BloodPressureReading result)
        {
            if (_startedMs < 0)
            {
                return CuffPoll.Idle;
            }

            if (nowMs - _startedMs < DurationMs)
            {
                return CuffPoll.Pending;
            }

            _startedMs = -1;
            result.Clear();
            if (ErrorCode != 0)
            {
                result.ErrorCode = ErrorCode;
                return CuffPoll.Failed;
            }

            result.Systolic = 118;
            result.Diastolic = 76;
            result.Pulse = 64;
            return CuffPoll.Completed;
        }
    }
}
