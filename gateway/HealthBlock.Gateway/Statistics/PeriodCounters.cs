using System.Buffers.Binary;
using System.Numerics;
using HealthBlock.Paillier;

namespace HealthBlock.Gateway.Statistics;

/// <summary>
/// The counters of one patient-period, as <see cref="VitalSignsLayout"/> packs them: events add to their slots; a second
/// of wear counts once however many frames cover it; a reading that would take a slot past its per-period maximum is
/// dropped whole (a count and its sum together), so every row packs. Not thread-safe.
/// </summary>
public sealed class PeriodCounters
{
    private static readonly int SlotCount = VitalSignsLayout.Slots.Count;
    private readonly long[] _values;
    private readonly byte[] _worn;

    /// <summary>Empty counters of the period [<paramref name="startMs"/>, <paramref name="endMs"/>), whole seconds.</summary>
    public PeriodCounters(long startMs, long endMs)
        : this(startMs, endMs, new long[SlotCount], new byte[((endMs - startMs) / 1000 + 7) / 8])
    {
    }

    private PeriodCounters(long startMs, long endMs, long[] values, byte[] worn)
    {
        if (endMs <= startMs || startMs % 1000 != 0 || endMs % 1000 != 0 || endMs - startMs > VitalSignsLayout.MaxPeriodMs)
        {
            throw new ArgumentException($"A period is whole seconds, at most an hour: not [{startMs}, {endMs}).");
        }

        StartMs = startMs;
        EndMs = endMs;
        _values = values;
        _worn = worn;
    }

    /// <summary>Start of the period (inclusive), ms since the Unix epoch.</summary>
    public long StartMs { get; }

    /// <summary>End of the period (exclusive).</summary>
    public long EndMs { get; }

    /// <summary>Readings dropped because a slot was full.</summary>
    public long Dropped { get; private set; }

    /// <summary>
    /// Adds an event of this period; returns false when it was dropped at a slot's maximum.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The event's time is outside the period.</exception>
    public bool Add(VitalSignEvent e)
    {
        if (e.TimeMs < StartMs || e.TimeMs >= EndMs)
        {
            throw new ArgumentOutOfRangeException(nameof(e), $"An event at {e.TimeMs} is not in the period [{StartMs}, {EndMs}).");
        }

        var added = e.Kind switch
        {
            VitalSignKind.RrInterval => Add(VitalSignSlot.RrIntervalCount, (VitalSignSlot.RrIntervalSumMs, e.First)),
            VitalSignKind.BloodPressure => Add(VitalSignSlot.BloodPressureCount, (VitalSignSlot.SystolicSumMmHg, e.First), (VitalSignSlot.DiastolicSumMmHg, e.Second)),
            VitalSignKind.Temperature => Add(VitalSignSlot.TemperatureCount, (VitalSignSlot.TemperatureSumCentiDegC, e.First)),
            VitalSignKind.Finding => Add(FindingSlot(e.First)),
            VitalSignKind.WornSecond => Wear((e.TimeMs - StartMs) / 1000),
            _ => false,
        };
        if (!added && e.Kind != VitalSignKind.WornSecond)
        {
            Dropped++;
        }

        return added;
    }

    /// <summary>The row to pack: every slot's value, the seconds of wear, and 1 patient-period.</summary>
    public long[] ToRow()
    {
        var row = (long[])_values.Clone();
        row[(int)VitalSignSlot.WearSeconds] = _worn.Sum(b => BitOperations.PopCount(b));
        row[(int)VitalSignSlot.PatientPeriods] = 1;
        return row;
    }

    /// <summary>The counters' bytes (values, then the worn seconds), for the store.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[(SlotCount * 8) + _worn.Length];
        for (var i = 0; i < SlotCount; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), _values[i]);
        }

        _worn.CopyTo(bytes, SlotCount * 8);
        return bytes;
    }

    /// <summary>Counters read back from <see cref="ToBytes"/>.</summary>
    public static PeriodCounters FromBytes(long startMs, long endMs, ReadOnlySpan<byte> bytes)
    {
        var counters = new PeriodCounters(startMs, endMs);
        if (bytes.Length != (SlotCount * 8) + counters._worn.Length)
        {
            throw new InvalidDataException($"Stored counters of the period at {startMs} have {bytes.Length} bytes, not {(SlotCount * 8) + counters._worn.Length}.");
        }

        for (var i = 0; i < SlotCount; i++)
        {
            counters._values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * 8)..]);
        }

        bytes[(SlotCount * 8)..].CopyTo(counters._worn);
        return counters;
    }

    /// <summary>Counts one reading in <paramref name="count"/> and adds its values to their sums, or drops it whole.</summary>
    private bool Add(VitalSignSlot count, params ReadOnlySpan<(VitalSignSlot Slot, long Value)> more)
    {
        if (!Fits(count, 1))
        {
            return false;
        }

        foreach (var (s, v) in more)
        {
            if (!Fits(s, v))
            {
                return false;
            }
        }

        _values[(int)count]++;
        foreach (var (s, v) in more)
        {
            _values[(int)s] += v;
        }

        return true;
    }

    private static VitalSignSlot FindingSlot(int slot) => slot is >= (int)VitalSignSlot.FindingsBradycardia and <= (int)VitalSignSlot.FindingsHypothermia
        ? (VitalSignSlot)slot
        : throw new ArgumentOutOfRangeException(nameof(slot), $"Slot {slot} does not count findings.");

    private bool Fits(VitalSignSlot slot, long value) =>
        value >= 0 && _values[(int)slot] + value <= VitalSignsLayout.Slots[(int)slot].MaxPerPatientPeriod;

    private bool Wear(long second)
    {
        var mask = (byte)(1 << (int)(second % 8));
        var fresh = (_worn[second / 8] & mask) == 0;
        _worn[second / 8] |= mask;
        return fresh;
    }
}
