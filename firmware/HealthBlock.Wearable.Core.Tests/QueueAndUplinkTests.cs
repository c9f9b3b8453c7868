using HealthBlock.Protocol;
using HealthBlock.Protocol.Frames;
using HealthBlock.Wearable.Storage;
using HealthBlock.Wearable.Uplink;

namespace HealthBlock.Wearable.Core.Tests;

public class QueueAndUplinkTests
{
    private const string BaseTopic = "hb/p1/0000000000000042";

    [Fact]
    public void A_full_queue_drops_the_oldest_and_counts_it()
    {
        var queue = new ReadingQueue(3);
        for (var i = 0; i < 5; i++)
        {
            queue.Enqueue(Temperature(i));
        }

        Assert.Equal(3, queue.Count);
        Assert.Equal(2, queue.DroppedSinceSent);
        Assert.Equal(2, queue.TotalDropped);
        Assert.Equal([2L, 3L, 4L], [queue.Dequeue()!.TimestampMs, queue.Dequeue()!.TimestampMs, queue.Dequeue()!.TimestampMs]);
        Assert.Null(queue.Dequeue());
        Assert.Equal(2, queue.TakeDropped());
        Assert.Equal(0, queue.TakeDropped());
    }

    [Fact]
    public void The_next_frame_sent_carries_the_drop_count_and_later_frames_do_not()
    {
        var queue = new ReadingQueue(2);
        var uplink = new InMemoryUplink();
        var pump = Pump(queue, uplink);
        for (var i = 0; i < 5; i++)
        {
            queue.Enqueue(Temperature(i));
        }

        pump.Poll(0);

        var frames = uplink.Published.Select(a => DeviceFrame.DecodeAndVerify(a.Payload, TestKeys.Device)).ToList();
        Assert.Equal([3L, 4L], frames.Select(f => f.TimestampMs));
        Assert.Equal([(ushort)3, (ushort)0], frames.Select(f => f.Dropped));
    }

    [Fact]
    public void Frames_go_out_in_order_with_increasing_sequence_on_their_sensor_topic()
    {
        var queue = new ReadingQueue(10);
        var uplink = new InMemoryUplink();
        var pump = Pump(queue, uplink);
        queue.Enqueue(new Reading(FrameLayout.KindEcg, 0, 100, 250_000, new short[250]));
        queue.Enqueue(new Reading(FrameLayout.KindBloodPressure, 0, 200, 1, [120, 80, 60]));
        queue.Enqueue(Temperature(300));

        pump.Poll(0);

        Assert.Equal([BaseTopic + "/ecg", BaseTopic + "/bp", BaseTopic + "/temp"], uplink.Published.Select(a => a.Topic));
        var frames = uplink.Published.Select(a => DeviceFrame.DecodeAndVerify(a.Payload, TestKeys.Device)).ToList();
        Assert.Equal([0u, 1u, 2u], frames.Select(f => f.Sequence));
        Assert.Equal([SensorKind.Ecg, SensorKind.BloodPressure, SensorKind.Temperature], frames.Select(f => f.Kind));
        Assert.All(frames, f => Assert.Equal(0x42ul, f.DeviceId));
    }

    [Fact]
    public void A_frame_that_was_not_acknowledged_is_resent_byte_for_byte_after_reconnecting()
    {
        var queue = new ReadingQueue(10);
        var uplink = new InMemoryUplink { FailNextPublishes = 1 };
        var pump = Pump(queue, uplink);
        queue.Enqueue(Temperature(1));

        var retryAt = pump.Poll(0);
        Assert.Empty(uplink.Published);
        Assert.True(retryAt > 0);
        Assert.False(pump.IsConnected);

        pump.Poll(retryAt);

        Assert.Single(uplink.Published);
        Assert.Equal(uplink.Attempts[0], uplink.Published[0].Payload);
        Assert.Equal(2, uplink.ConnectCalls);
    }

    [Fact]
    public void Reconnects_back_off_exponentially_while_the_broker_is_down_and_reset_after_a_success()
    {
        var queue = new ReadingQueue(10);
        var uplink = new InMemoryUplink { BrokerAvailable = false };
        var pump = Pump(queue, uplink);
        queue.Enqueue(Temperature(1));

        var now = 0L;
        var gaps = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            var next = pump.Poll(now);
            gaps.Add(next - now);
            now = next;
        }

        Assert.Equal(8, uplink.ConnectCalls);
        for (var i = 0; i < gaps.Count; i++)
        {
            var ceiling = Math.Min(100L << i, 2000);
            Assert.InRange(gaps[i], ceiling / 2, ceiling);
        }

        uplink.BrokerAvailable = true;
        pump.Poll(now);
        Assert.Single(uplink.Published);
        Assert.Equal(0, pump.PublishFailures);
    }

    [Fact]
    public void Nothing_to_send_means_no_connection_attempt()
    {
        var uplink = new InMemoryUplink();
        var pump = Pump(new ReadingQueue(4), uplink);

        var next = pump.Poll(1000);

        Assert.Equal(0, uplink.ConnectCalls);
        Assert.Equal(1000 + 20, next);
    }

    [Fact]
    public void A_counter_store_failure_delays_the_frame_without_losing_it()
    {
        var slots = new MemoryRecordSlots { LosePowerAtWrite = 1 };
        var queue = new ReadingQueue(4);
        var uplink = new InMemoryUplink();
        var pump = new UplinkPump(uplink, queue, new SequenceCounter(new DualSlotCounterStore(slots), 8),
            new FrameBuilder(0x42, new HmacFrameMac(TestKeys.Device), 32), new Backoff(100, 2000, 1), BaseTopic, 8, 20);
        queue.Enqueue(Temperature(7));

        pump.Poll(0);
        Assert.Equal(1, pump.SequenceFailures);
        Assert.Equal(1, queue.Count);

        pump.Poll(500);
        Assert.Single(uplink.Published);
    }

    [Fact]
    public void Backoff_delays_stay_between_half_and_the_ceiling_which_doubles_to_the_maximum()
    {
        var backoff = new Backoff(500, 60_000, 12345);
        var ceiling = 500;
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(ceiling, backoff.CeilingMs);
            Assert.InRange(backoff.NextDelayMs(), ceiling / 2, ceiling);
            ceiling = Math.Min(ceiling * 2, 60_000);
        }

        Assert.Equal(12, backoff.Attempts);
        backoff.Reset();
        Assert.Equal(500, backoff.CeilingMs);
        Assert.Equal(0, backoff.Attempts);
    }

    [Fact]
    public void Backoff_jitter_differs_between_devices()
    {
        var a = new Backoff(60_000, 60_000, 1);
        var b = new Backoff(60_000, 60_000, 2);

        var delaysA = Enumerable.Range(0, 8).Select(_ => a.NextDelayMs()).ToList();
        var delaysB = Enumerable.Range(0, 8).Select(_ => b.NextDelayMs()).ToList();

        Assert.NotEqual(delaysA, delaysB);
    }

    [Fact]
    public void Frames_decode_with_the_host_decoder_and_verify_only_with_the_device_key()
    {
        var builder = new FrameBuilder(0x0123456789abcdef, new HmacFrameMac(TestKeys.Device), 16);
        var reading = new Reading(FrameLayout.KindEcg, FrameLayout.FlagSensorFault, 1_750_000_000_123, 250_000, [1, -2, 32767, -32768]);

        var bytes = builder.Build(reading, 77, 70_000);
        var frame = DeviceFrame.DecodeAndVerify(bytes, TestKeys.Device);

        Assert.Equal(SensorKind.Ecg, frame.Kind);
        Assert.Equal(FrameFlags.SensorFault, frame.Flags);
        Assert.Equal(0x0123456789abcdeful, frame.DeviceId);
        Assert.Equal(77u, frame.Sequence);
        Assert.Equal(1_750_000_000_123, frame.TimestampMs);
        Assert.Equal(250_000u, frame.RateMilliHz);
        Assert.Equal(ushort.MaxValue, frame.Dropped);
        Assert.Equal([1, -2, 32767, -32768], frame.Samples.ToArray());
        Assert.Equal(16, frame.Tag.Length);
        var e = Assert.Throws<ProtocolException>(() => DeviceFrame.DecodeAndVerify(bytes, TestKeys.Other));
        Assert.Equal(ProtocolError.BadMac, e.Error);
    }

    private static UplinkPump Pump(ReadingQueue queue, InMemoryUplink uplink) =>
        new(uplink, queue, new SequenceCounter(new MemoryCounterStore(), 8), new FrameBuilder(0x42, new HmacFrameMac(TestKeys.Device), 32),
            new Backoff(100, 2000, 1), BaseTopic, 8, 20);

    private static Reading Temperature(long timestampMs) => new(FrameLayout.KindTemperature, 0, timestampMs, 100, [3700]);
}
