using CsCheck;
using HealthBlock.Wearable.Storage;

namespace HealthBlock.Wearable.Core.Tests;

public class SequenceCounterTests
{
    [Fact]
    public void Numbers_are_consecutive_and_the_block_start_is_saved_before_use()
    {
        var store = new MemoryCounterStore();
        var counter = new SequenceCounter(store, 4);

        Assert.Equal(0u, counter.Next());
        Assert.Equal(4u, store.Value);
        Assert.Equal([1u, 2u, 3u], [counter.Next(), counter.Next(), counter.Next()]);
        Assert.Equal(1, store.Saves);
        Assert.Equal(4u, counter.Next());
        Assert.Equal(8u, store.Value);
    }

    [Fact]
    public void A_reboot_jumps_to_the_saved_block_start()
    {
        var store = new MemoryCounterStore();
        var first = new SequenceCounter(store, 10);
        for (var i = 0; i < 3; i++)
        {
            first.Next();
        }

        var afterReboot = new SequenceCounter(store, 10);

        Assert.Equal(10u, afterReboot.Next());
    }

    [Fact]
    public void A_failed_save_hands_out_nothing_and_is_retried()
    {
        var slots = new MemoryRecordSlots { LosePowerAtWrite = 1 };
        var counter = new SequenceCounter(new DualSlotCounterStore(slots), 4);

        Assert.Throws<PowerLossException>(() => counter.Next());
        slots.LosePowerAtWrite = null;

        Assert.Equal(0u, counter.Next());
    }

    [Fact]
    public void The_space_ends_instead_of_wrapping()
    {
        var store = new MemoryCounterStore { Value = uint.MaxValue - 2 };
        var counter = new SequenceCounter(store, 4);

        Assert.Throws<InvalidOperationException>(() => counter.Next());
    }

    /// <summary>
    /// Power is cut during every write a run makes (after every number of its bytes reached the flash), the device
    /// reboots and goes on: no number is ever handed out twice and the numbers only grow.
    /// </summary>
    [Fact]
    public void No_number_repeats_whichever_write_the_power_cut_tears()
    {
        for (var crashAtWrite = 1; crashAtWrite <= 6; crashAtWrite++)
        {
            for (var tornBytes = 0; tornBytes <= DualSlotCounterStore.RecordSize; tornBytes++)
            {
                var slots = new MemoryRecordSlots { LosePowerAtWrite = crashAtWrite, TornBytes = tornBytes };
                var used = new List<uint>();
                RunUntilPowerLoss(slots, used, 3, 100);
                slots.LosePowerAtWrite = null;
                RunUntilPowerLoss(slots, used, 3, 10);

                AssertStrictlyIncreasing(used);
            }
        }
    }

    [Fact]
    public void No_number_repeats_across_many_random_power_cuts()
    {
        var cut = Gen.Select(Gen.Int[1, 4], Gen.Int[0, DualSlotCounterStore.RecordSize], Gen.Int[0, 12]);
        cut.Array[1, 12].Sample(
            cuts =>
            {
                var slots = new MemoryRecordSlots();
                var used = new List<uint>();
                foreach (var (write, torn, work) in cuts)
                {
                    slots.LosePowerAtWrite = slots.Writes + write;
                    slots.TornBytes = torn;
                    RunUntilPowerLoss(slots, used, 2, work);
                }

                slots.LosePowerAtWrite = null;
                RunUntilPowerLoss(slots, used, 2, 5);
                AssertStrictlyIncreasing(used);
            },
            iter: 300);
    }

    [Fact]
    public void The_dual_slot_store_survives_a_torn_write_with_the_previous_value()
    {
        var slots = new MemoryRecordSlots();
        new DualSlotCounterStore(slots).Save(10);
        new DualSlotCounterStore(slots).Save(20);

        slots.LosePowerAtWrite = slots.Writes + 1;
        slots.TornBytes = 6;
        Assert.Throws<PowerLossException>(() => new DualSlotCounterStore(slots).Save(30));

        Assert.True(new DualSlotCounterStore(slots).TryLoad(out var value));
        Assert.Equal(20u, value);
    }

    [Fact]
    public void The_dual_slot_store_refuses_a_value_that_does_not_grow()
    {
        var store = new DualSlotCounterStore(new MemoryRecordSlots());
        store.Save(5);

        Assert.Throws<ArgumentOutOfRangeException>(() => store.Save(5));
    }

    [Fact]
    public void An_empty_or_garbage_store_loads_nothing()
    {
        var slots = new MemoryRecordSlots();
        Assert.False(new DualSlotCounterStore(slots).TryLoad(out _));

        slots.Write(0, new byte[12]);
        slots.Write(1, [1, 2, 3]);

        Assert.False(new DualSlotCounterStore(slots).TryLoad(out _));
    }

    [Fact]
    public void Crc32_matches_the_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8.ToArray(), 0, 9));
    }

    private static void RunUntilPowerLoss(MemoryRecordSlots slots, List<uint> used, int blockSize, int count)
    {
        try
        {
            var counter = new SequenceCounter(new DualSlotCounterStore(slots), blockSize);
            for (var i = 0; i < count; i++)
            {
                used.Add(counter.Next());
            }
        }
        catch (PowerLossException)
        {
            // The device is off; whatever Next() had not returned was never used.
        }
    }

    private static void AssertStrictlyIncreasing(List<uint> used)
    {
        for (var i = 1; i < used.Count; i++)
        {
            Assert.True(used[i] > used[i - 1], $"number {used[i]} after {used[i - 1]}");
        }
    }
}
