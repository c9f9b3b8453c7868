using System.Numerics;

namespace HealthBlock.Paillier;

/// <summary>
/// Several non-negative counters packed into one Paillier plaintext, each in a fixed-width slot wide enough for
/// the sum of its counter over up to <see cref="MaxPatients"/> patients × <see cref="MaxPeriods"/> periods, so
/// homomorphic addition of packed plaintexts adds slot by slot and never carries into the next slot. The slots
/// together stay <see cref="GuardBits"/> bits below the modulus, so sums never wrap modulo n, and a decrypted
/// value that reaches into the guard bits (a tampered or over-aggregated sum) is refused rather than misread.
/// </summary>
public sealed class PackedLayout
{
    /// <summary>Bits kept free between the top slot and n: a plaintext not made by this layout lands in range with probability at most 2⁻⁶⁴.</summary>
    public const int GuardBits = 64;

    private PackedLayout(IReadOnlyList<PackedSlot> slots, long maxPatients, long maxPeriods, int modulusBits, int totalBits)
    {
        Slots = slots;
        MaxPatients = maxPatients;
        MaxPeriods = maxPeriods;
        ModulusBits = modulusBits;
        TotalBits = totalBits;
    }

    /// <summary>The slots, lowest bits first.</summary>
    public IReadOnlyList<PackedSlot> Slots { get; }

    /// <summary>The largest cohort the layout admits.</summary>
    public long MaxPatients { get; }

    /// <summary>The most periods per patient the layout admits.</summary>
    public long MaxPeriods { get; }

    /// <summary>The most packed plaintexts one sum may hold: patients × periods.</summary>
    public long MaxContributions => MaxPatients * MaxPeriods;

    /// <summary>The modulus size the layout was checked against.</summary>
    public int ModulusBits { get; }

    /// <summary>The bits the slots take together.</summary>
    public int TotalBits { get; }

    /// <summary>
    /// Chooses slot widths from the per-patient-period maxima and the cohort bounds, and refuses a layout whose slots
    /// would not fit under a <paramref name="modulusBits"/>-bit n with <see cref="GuardBits"/> bits to spare.
    /// </summary>
    public static PackedLayout Create(IReadOnlyList<PackedSlotBound> bounds, long maxPatients, long maxPeriods, int modulusBits)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        if (bounds.Count == 0 || maxPatients < 1 || maxPeriods < 1 || modulusBits < 2)
        {
            throw Overflow("A layout needs at least one slot, one patient, one period and a modulus size.");
        }

        var contributions = BigInteger.Multiply(maxPatients, maxPeriods);
        var slots = new List<PackedSlot>(bounds.Count);
        var offset = 0;
        foreach (var bound in bounds)
        {
            ArgumentNullException.ThrowIfNull(bound);
            if (bound.MaxPerPatientPeriod < 1)
            {
                throw Overflow($"Slot '{bound.Name}' needs a positive per-patient-period maximum.");
            }

            var maxSum = contributions * bound.MaxPerPatientPeriod;
            if (maxSum > long.MaxValue)
            {
                throw Overflow($"Slot '{bound.Name}' could sum to {maxSum}, beyond the 63 bits a slot may take.");
            }

            var width = (int)maxSum.GetBitLength();
            slots.Add(new PackedSlot(bound.Name, bound.MaxPerPatientPeriod, (long)maxSum, offset, width));
            offset += width;
        }

        // Any packed sum is below 2^offset; n ≥ 2^(modulusBits − 1), so offset + guard ≤ modulusBits − 1 keeps it
        // below n / 2^guard.
        if (offset + GuardBits > modulusBits - 1)
        {
            throw Overflow($"The slots take {offset} bits; with {GuardBits} guard bits they do not fit under a {modulusBits}-bit n.");
        }

        return new PackedLayout(slots, maxPatients, maxPeriods, modulusBits, offset);
    }

    /// <summary>Packs one patient-period's counters; each must lie in [0, its slot's per-patient-period maximum].</summary>
    public BigInteger Encode(ReadOnlySpan<long> values)
    {
        CheckCount(values.Length);
        var plaintext = BigInteger.Zero;
        for (var i = 0; i < values.Length; i++)
        {
            var slot = Slots[i];
            if (values[i] < 0 || values[i] > slot.MaxPerPatientPeriod)
            {
                throw Overflow($"Slot '{slot.Name}' holds 0 to {slot.MaxPerPatientPeriod} per patient-period, not {values[i]}.");
            }

            plaintext |= new BigInteger(values[i]) << slot.Offset;
        }

        return plaintext;
    }

    /// <summary>
    /// Unpacks a decrypted sum of <paramref name="contributions"/> packed plaintexts into per-slot sums. Refuses more
    /// contributions than the layout admits, a plaintext reaching past the slots, and any slot beyond its maximum
    /// times the contributions.
    /// </summary>
    public long[] Decode(BigInteger plaintext, long contributions)
    {
        CheckContributions(contributions);
        if (plaintext.Sign < 0 || plaintext.GetBitLength() > TotalBits)
        {
            throw Overflow($"The plaintext has {plaintext.GetBitLength()} bits; this layout's sums have at most {TotalBits}.");
        }

        var sums = new long[Slots.Count];
        for (var i = 0; i < sums.Length; i++)
        {
            var slot = Slots[i];
            var value = (long)((plaintext >> slot.Offset) & ((BigInteger.One << slot.Width) - 1));
            if (value > (BigInteger)slot.MaxPerPatientPeriod * contributions)
            {
                throw Overflow($"Slot '{slot.Name}' sums to {value}, more than {contributions} contributions of at most {slot.MaxPerPatientPeriod} can give.");
            }

            sums[i] = value;
        }

        return sums;
    }

    /// <summary>Refuses a cohort the layout was not sized for.</summary>
    public void CheckCohort(long patients, long periods)
    {
        if (patients < 0 || periods < 0 || patients > MaxPatients || periods > MaxPeriods)
        {
            throw Overflow($"The layout admits up to {MaxPatients} patients × {MaxPeriods} periods, not {patients} × {periods}.");
        }
    }

    private void CheckContributions(long contributions)
    {
        if (contributions < 0 || contributions > MaxContributions)
        {
            throw Overflow($"The layout admits sums of up to {MaxContributions} packed plaintexts, not {contributions}.");
        }
    }

    private void CheckCount(int count)
    {
        if (count != Slots.Count)
        {
            throw Overflow($"The layout has {Slots.Count} slots; {count} values were given.");
        }
    }

    private static PaillierException Overflow(string message) => new(PaillierError.PackingOverflow, message);
}
