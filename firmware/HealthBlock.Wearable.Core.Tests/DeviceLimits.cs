using System.Reflection;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Mqtt;
using HealthBlock.Wearable.Sampling;
using HealthBlock.Wearable.Storage;
using HealthBlock.Wearable.Uplink;

namespace HealthBlock.Wearable.Core.Tests;

/// <summary>
/// The wearable's RAM, frame-size and flash-wear figures, computed from the firmware's own constants and defaults
/// (firmware/README.md, "Device limits"). The nanoFramework heap model: every managed object is one 12-byte
/// <c>CLR_RT_HeapBlock</c> header plus one 12-byte block per instance field; an array is a 20-byte header
/// (<c>CLR_RT_HeapBlock_Array</c>: the block plus element count and element type/size) plus its elements, references
/// taking a 12-byte block each; allocations are whole 12-byte blocks (nf-interpreter,
/// src/CLR/Include/nanoCLR_Runtime__HeapBlock.h).
/// </summary>
public sealed class DeviceLimits
{
    public const int HeapBlockBytes = 12;
    public const int ArrayHeaderBytes = 20;

    /// <summary>Managed heap an ESP32 (520 KB SRAM, no PSRAM) leaves free under nanoFramework: 100–160 KB; the low end.</summary>
    public const int FreeManagedHeapBytes = 100 * 1024;

    /// <summary>What the firmware's own buffers may take: under half the heap, the rest for M2Mqtt, sockets, strings.</summary>
    public const int FirmwareBufferBudgetBytes = 48 * 1024;

    /// <summary>NOR flash endurance per 4 KB sector (program/erase cycles), the usual figure for ESP32 module flash.</summary>
    public const int FlashEnduranceCycles = 100_000;
    public const int FlashSectorBytes = 4096;
    public const int FlashPageBytes = 256;

    /// <summary>Pages a small-file rewrite programs on a wear-levelling flash file system: the data page and one metadata page.</summary>
    public const int PagesPerRecordWrite = 2;

    /// <summary>Sectors the I: partition spreads writes over (256 KB, the smallest such partition assumed).</summary>
    public const int PartitionSectors = 64;

    public const int DesignLifeYears = 10;

    public DeviceLimits(WearableSettings settings)
    {
        Settings = settings;
    }

    public WearableSettings Settings { get; }

    public static int Blocks(int bytes) => (bytes + HeapBlockBytes - 1) / HeapBlockBytes * HeapBlockBytes;

    public static int ObjectBytes(Type type) =>
        HeapBlockBytes * (1 + type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Length);

    public static int ArrayBytes(int length, int elementBytes) => Blocks(ArrayHeaderBytes + (length * elementBytes));

    /// <summary>Size of a default ECG frame (the largest frame the defaults produce).</summary>
    public int EcgFrameBytes => FrameLayout.FrameSize(Settings.EcgSamplesPerFrame, Settings.TagLength);

    /// <summary>The longest topic a frame goes to: a 64-character patient and the longest sensor level.</summary>
    public static int LongestTopicBytes => DeviceTopics.ForKind(DeviceTopics.Base(new string('p', DeviceTopics.MaxPatientLength), DeviceTopics.FormatDeviceId(0)), FrameLayout.KindTemperature).Length;

    /// <summary>MQTT 3.1.1 PUBLISH (QoS 1) of one ECG frame: fixed header, remaining length, topic, packet id, payload (§3.3).</summary>
    public int EcgPublishBytes
    {
        get
        {
            var remaining = 2 + LongestTopicBytes + 2 + EcgFrameBytes;
            var lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : 3;
            return 1 + lengthBytes + remaining;
        }
    }

    /// <summary>One queued ECG reading: the Reading object and its sample array.</summary>
    public int QueuedReadingBytes => ObjectBytes(typeof(Reading)) + ArrayBytes(Settings.EcgSamplesPerFrame, sizeof(short));

    /// <summary>The full offline queue: its slot array and a full load of ECG readings.</summary>
    public int QueueBytes => ArrayBytes(Settings.QueueCapacity, HeapBlockBytes) + (Settings.QueueCapacity * QueuedReadingBytes);

    /// <summary>
    /// The other buffers: the sampler's open block, FrameBuilder's scratch frame (sized for the largest frame), the
    /// frame in flight, the HMAC adapter's copy of the signed part and M2Mqtt's encoded PUBLISH.
    /// </summary>
    public int FrameBufferBytes =>
        ArrayBytes(Settings.EcgSamplesPerFrame, sizeof(short))
        + ArrayBytes(FrameLayout.MaxFrameSize, 1)
        + ArrayBytes(EcgFrameBytes, 1)
        + ArrayBytes(EcgFrameBytes - Settings.TagLength, 1)
        + ArrayBytes(EcgPublishBytes, 1);

    public int FirmwareBufferBytes => QueueBytes + FrameBufferBytes;

    /// <summary>Frames a day at the default rates (ECG frames back to back, temperature at its interval, BP if scheduled).</summary>
    public long FramesPerDay
    {
        get
        {
            const long dayMs = 86_400_000;
            var ecgFrameMs = 1000L * Settings.EcgSamplesPerFrame / Settings.EcgRateHz;
            var frames = dayMs / ecgFrameMs;
            frames += Settings.TemperatureIntervalMs > 0 ? dayMs / Settings.TemperatureIntervalMs : 0;
            frames += Settings.BloodPressureIntervalMs > 0 ? dayMs / Settings.BloodPressureIntervalMs : 0;
            return frames;
        }
    }

    /// <summary>Counter records written a year: one per block of sequence numbers, alternating between the two slots.</summary>
    public long CounterWritesPerYear => (FramesPerDay * 365 + Settings.SequenceBlockSize - 1) / Settings.SequenceBlockSize;

    public long CounterBytesPerYear => CounterWritesPerYear * DualSlotCounterStore.RecordSize;

    /// <summary>Erase cycles per sector a year when the file system spreads the writes over the partition.</summary>
    public double LevelledErasesPerSectorPerYear =>
        (double)CounterWritesPerYear * PagesPerRecordWrite / (FlashSectorBytes / FlashPageBytes) / PartitionSectors;

    /// <summary>Erase cycles a year of one slot's sector if nothing levelled the wear (each rewrite erases it).</summary>
    public long UnlevelledErasesPerSlotPerYear => CounterWritesPerYear / 2;

    /// <summary>Years until the u32 sequence number wraps at the default rate.</summary>
    public double SequenceYears => (double)uint.MaxValue / FramesPerDay / 365;
}
