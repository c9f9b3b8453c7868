using System.Globalization;
using HealthBlock.Protocol.Frames;
using HealthBlock.Wearable.Sampling;

namespace HealthBlock.Wearable.Core.Tests;

/// <summary>
/// The device-side limits of firmware/README.md ("Device limits"), recomputed from the firmware's constants and
/// defaults: a change to a constant that breaks a budget fails here, and so does a README figure left behind.
/// </summary>
public class DeviceLimitsTests
{
    private static readonly DeviceLimits Defaults = new(new WearableSettings());

    [Fact]
    public void The_firmware_buffers_fit_their_share_of_the_ESP32_managed_heap()
    {
        Assert.InRange(Defaults.FirmwareBufferBytes, 1, DeviceLimits.FirmwareBufferBudgetBytes);
        Assert.True(DeviceLimits.FirmwareBufferBudgetBytes * 2 <= DeviceLimits.FreeManagedHeapBytes);
    }

    [Fact]
    public void A_queue_twice_as_long_would_break_the_budget()
    {
        var doubled = new WearableSettings();
        doubled.QueueCapacity *= 2;

        Assert.True(new DeviceLimits(doubled).FirmwareBufferBytes > DeviceLimits.FirmwareBufferBudgetBytes);
    }

    [Fact]
    public void The_heap_model_counts_whole_blocks()
    {
        Assert.Equal(528, DeviceLimits.ArrayBytes(250, sizeof(short)));
        Assert.Equal(24, DeviceLimits.ArrayBytes(1, 1));
        Assert.Equal(72, DeviceLimits.ObjectBytes(typeof(HealthBlock.Wearable.Uplink.Reading)));
    }

    [Fact]
    public void The_default_ECG_frame_is_the_largest_frame_the_defaults_produce()
    {
        var settings = new WearableSettings();

        Assert.Equal(564, Defaults.EcgFrameBytes);
        Assert.True(FrameLayout.FrameSize(3, settings.TagLength) < Defaults.EcgFrameBytes);
        Assert.InRange(Defaults.EcgFrameBytes, 1, FrameLayout.MaxFrameSize);
        Assert.InRange(Defaults.EcgPublishBytes, Defaults.EcgFrameBytes, Defaults.EcgFrameBytes + 100);
    }

    [Fact]
    public void The_counter_slots_outlive_the_design_life_on_a_wear_levelled_partition()
    {
        var erasesOverLife = Defaults.LevelledErasesPerSectorPerYear * DeviceLimits.DesignLifeYears;

        Assert.True(erasesOverLife <= DeviceLimits.FlashEnduranceCycles / 10.0, $"{erasesOverLife:N0} erase cycles per sector in {DeviceLimits.DesignLifeYears} years");
    }

    [Fact]
    public void Without_wear_levelling_a_slot_would_wear_out_within_a_year()
    {
        // Why the README says the counter relies on the file system's wear levelling (or a larger sequence block).
        Assert.True(Defaults.UnlevelledErasesPerSlotPerYear > DeviceLimits.FlashEnduranceCycles);
    }

    [Fact]
    public void The_sequence_number_does_not_wrap_within_the_design_life()
    {
        Assert.True(Defaults.SequenceYears > 10 * DeviceLimits.DesignLifeYears);
    }

    [Fact]
    public void The_README_states_the_figures_the_constants_give()
    {
        var readme = File.ReadAllText(RepositoryFiles.PathOf("firmware/README.md"));

        foreach (var line in ReadmeRows())
        {
            Assert.Contains(line, readme, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<string> ReadmeRows()
    {
        var s = Defaults.Settings;
        var c = CultureInfo.InvariantCulture;
        yield return string.Format(c, "| offline queue, full ({0} ECG readings of {1:N0} B) | {2:N0} B |", s.QueueCapacity, Defaults.QueuedReadingBytes, Defaults.QueueBytes);
        yield return string.Format(c, "| frame buffers (sampler block, scratch frame, frame in flight, HMAC copy, PUBLISH) | {0:N0} B |", Defaults.FrameBufferBytes);
        yield return string.Format(c, "| **firmware buffers in all** (budget {0:N0} B of ≥ {1:N0} B free heap) | **{2:N0} B** |", DeviceLimits.FirmwareBufferBudgetBytes, DeviceLimits.FreeManagedHeapBytes, Defaults.FirmwareBufferBytes);
        yield return string.Format(c, "| ECG frame at the defaults ({0} samples, {1}-byte tag) | {2:N0} B |", s.EcgSamplesPerFrame, s.TagLength, Defaults.EcgFrameBytes);
        yield return string.Format(c, "| its MQTT PUBLISH, longest topic ({0} characters) | {1:N0} B |", DeviceLimits.LongestTopicBytes, Defaults.EcgPublishBytes);
        yield return string.Format(c, "| largest frame the format allows ({0} samples) | {1:N0} B |", FrameLayout.MaxSamples, FrameLayout.MaxFrameSize);
        yield return string.Format(c, "| frames a day (ECG every second, temperature every {0} s) | {1:N0} |", s.TemperatureIntervalMs / 1000, Defaults.FramesPerDay);
        yield return string.Format(c, "| counter records written a year (one per {0} frames) | {1:N0} ({2:N0} B) |", s.SequenceBlockSize, Defaults.CounterWritesPerYear, Defaults.CounterBytesPerYear);
        yield return string.Format(c, "| erase cycles per sector a year, wear-levelled over {0} sectors | {1:N0} (of {2:N0} in {3} years: {4:N0}) |", DeviceLimits.PartitionSectors, Defaults.LevelledErasesPerSectorPerYear, DeviceLimits.FlashEnduranceCycles, DeviceLimits.DesignLifeYears, Defaults.LevelledErasesPerSectorPerYear * DeviceLimits.DesignLifeYears);
        yield return string.Format(c, "| erase cycles a year of one slot's sector without wear levelling | {0:N0} |", Defaults.UnlevelledErasesPerSlotPerYear);
        yield return string.Format(c, "| years until the u32 sequence number wraps | {0:N0} |", Defaults.SequenceYears);
    }
}
