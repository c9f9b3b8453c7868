using System.Numerics;
using CsCheck;
using HealthBlock.Paillier;

namespace HealthBlock.Paillier.Tests;

public sealed class PackingTests
{
    private static readonly PackedLayout Small = PackedLayout.Create(
        [new("count", 60), new("sum", 60 * 250), new("flag", 1), new("wide", 1_000_000_000)],
        maxPatients: 50,
        maxPeriods: 24,
        modulusBits: 2048);

    /// <summary>One patient-period: each slot's value in [0, its maximum], the maximum itself one time in eight.</summary>
    private static Gen<long[]> Values(PackedLayout layout) =>
        Gen.Select(Gen.Long[0, long.MaxValue].Array[layout.Slots.Count], Gen.Int[0, 7].Array[layout.Slots.Count], (raw, edge) =>
            raw.Select((v, i) => edge[i] == 0 ? layout.Slots[i].MaxPerPatientPeriod : v % (layout.Slots[i].MaxPerPatientPeriod + 1)).ToArray());

    [Fact]
    public void Sums_of_packed_plaintexts_decode_to_the_slot_wise_sums_within_the_bounds()
    {
        Gen.Int[0, (int)Small.MaxContributions].SelectMany(count => Values(Small).Array[count]).Sample(rows =>
        {
            var packed = rows.Aggregate(BigInteger.Zero, (acc, row) => acc + Small.Encode(row));
            var expected = Enumerable.Range(0, Small.Slots.Count).Select(i => rows.Sum(r => r[i])).ToArray();
            Assert.Equal(expected, Small.Decode(packed, rows.Length));
        }, iter: 200);
    }

    [Fact]
    public void The_largest_admissible_sum_fills_every_slot_to_its_maximum_without_carrying()
    {
        foreach (var layout in new[] { Small, VitalSignsLayout.Create() })
        {
            var top = layout.Slots.Select(s => s.MaxPerPatientPeriod).ToArray();
            var sum = layout.Encode(top) * layout.MaxContributions;
            var decoded = layout.Decode(sum, layout.MaxContributions);
            Assert.Equal(layout.Slots.Select(s => s.MaxSum).ToArray(), decoded);
            Assert.True(sum.GetBitLength() <= layout.TotalBits);
        }
    }

    [Fact]
    public void Encrypted_packed_rows_sum_homomorphically_to_the_slot_wise_sums()
    {
        var key = TestKeys.Key2048;
        using var pool = new NthResiduePool(key, capacity: 1);
        Values(Small).Array[1, 4].Sample(rows =>
        {
            var sum = new CiphertextSum(key.PublicKey);
            foreach (var row in rows)
            {
                sum.Add(key.PublicKey.Encrypt(Small.Encode(row), pool));
            }

            var expected = Enumerable.Range(0, Small.Slots.Count).Select(i => rows.Sum(r => r[i])).ToArray();
            Assert.Equal(expected, Small.Decode(key.Decrypt(sum.ToCiphertext()), sum.Count));
        }, iter: 3);
    }

    [Fact]
    public void Slot_widths_are_the_bit_lengths_of_the_largest_sums_laid_end_to_end()
    {
        var contributions = 50 * 24;
        Assert.Equal(contributions, Small.MaxContributions);
        var offset = 0;
        foreach (var slot in Small.Slots)
        {
            Assert.Equal(slot.MaxPerPatientPeriod * contributions, slot.MaxSum);
            Assert.Equal((int)new BigInteger(slot.MaxSum).GetBitLength(), slot.Width);
            Assert.Equal(offset, slot.Offset);
            offset += slot.Width;
        }

        Assert.Equal(offset, Small.TotalBits);
    }

    [Fact]
    public void Values_beyond_a_slots_per_period_maximum_negative_values_and_wrong_counts_are_refused()
    {
        Assert.Equal(PaillierError.PackingOverflow, Assert.Throws<PaillierException>(() => Small.Encode([61, 0, 0, 0])).Error);
        Assert.Equal(PaillierError.PackingOverflow, Assert.Throws<PaillierException>(() => Small.Encode([0, 0, 2, 0])).Error);
        Assert.Equal(PaillierError.PackingOverflow, Assert.Throws<PaillierException>(() => Small.Encode([0, -1, 0, 0])).Error);
        Assert.Equal(PaillierError.PackingOverflow, Assert.Throws<PaillierException>(() => Small.Encode([0, 0, 0])).Error);
    }

    [Fact]
    public void Cohorts_and_sums_beyond_the_layouts_bounds_are_refused()
    {
        var row = Small.Encode([60, 15000, 1, 1_000_000_000]);
        Assert.Equal(PaillierError.PackingOverflow, Assert.Throws<PaillierException>(() => Small.Decode(row, Small.MaxContributions + 1)).Error);
        Assert.Equal(PaillierError.PackingOverflow, Assert.Throws<PaillierException>(() => Small.CheckCohort(51, 24)).Error);
        Assert.Equal(PaillierError.PackingOverflow, Assert.Throws<PaillierException>(() => Small.CheckCohort(50, 25)).Error);
        Small.CheckCohort(50, 24);

        // Three contributions cannot sum to more than three maxima in any slot.
        var tooMuch = row * 4;
        var e = Assert.Throws<PaillierException>(() => Small.Decode(tooMuch, 3));
        Assert.Equal(PaillierError.PackingOverflow, e.Error);
    }

    [Fact]
    public void A_plaintext_reaching_into_the_guard_bits_is_refused_as_tampered()
    {
        var tampered = Small.Encode([1, 1, 1, 1]) + (BigInteger.One << Small.TotalBits);
        var e = Assert.Throws<PaillierException>(() => Small.Decode(tampered, 1));
        Assert.Equal(PaillierError.PackingOverflow, e.Error);
        Assert.Equal(PaillierError.PackingOverflow, Assert.Throws<PaillierException>(() => Small.Decode(-1, 1)).Error);
    }

    [Fact]
    public void A_layout_that_would_not_fit_under_n_with_its_guard_bits_is_refused()
    {
        PackedSlotBound[] slots = [new("a", long.MaxValue / 1_000_000), new("b", long.MaxValue / 1_000_000)];
        var e = Assert.Throws<PaillierException>(() => PackedLayout.Create(slots, 1000, 1000, modulusBits: 128));
        Assert.Equal(PaillierError.PackingOverflow, e.Error);
        Assert.Contains("guard", e.Message, StringComparison.Ordinal);

        // The same slots fit a 2048-bit n.
        Assert.Equal(2 * 63, PackedLayout.Create(slots, 1000, 1000, 2048).TotalBits);
    }

    [Fact]
    public void A_slot_whose_largest_sum_exceeds_63_bits_or_a_non_positive_maximum_is_refused()
    {
        Assert.Throws<PaillierException>(() => PackedLayout.Create([new("huge", long.MaxValue / 2)], 10, 1, 2048));
        Assert.Throws<PaillierException>(() => PackedLayout.Create([new("zero", 0)], 10, 1, 2048));
        Assert.Throws<PaillierException>(() => PackedLayout.Create([], 10, 1, 2048));
        Assert.Throws<PaillierException>(() => PackedLayout.Create([new("x", 1)], 0, 1, 2048));
    }

    [Fact]
    public void The_vital_signs_layout_for_100000_patients_over_a_year_of_hours_fits_one_ciphertext_at_2048_and_3072_bits()
    {
        var at3072 = VitalSignsLayout.Create();
        var at2048 = VitalSignsLayout.Create(modulusBits: 2048);
        Assert.Equal(16, at3072.Slots.Count);
        Assert.Equal(VitalSignsLayout.PatientPeriodsSlot, at3072.Slots[^1].Name);
        Assert.Equal(679, at3072.TotalBits);
        Assert.Equal(Enum.GetValues<VitalSignSlot>().Length, at3072.Slots.Count);
        Assert.Equal("rr_interval_count", at3072.Slots[(int)VitalSignSlot.RrIntervalCount].Name);
        Assert.Equal("wear_seconds", at3072.Slots[(int)VitalSignSlot.WearSeconds].Name);
        Assert.Equal(at3072.TotalBits, at2048.TotalBits);
        Assert.True(at3072.TotalBits + PackedLayout.GuardBits < 2047);
        Assert.Equal(100_000L * 24 * 366, at3072.MaxContributions);
        Assert.Throws<PaillierException>(() => VitalSignsLayout.Create(modulusBits: at3072.TotalBits + PackedLayout.GuardBits));
        Assert.Equal(at3072.TotalBits, VitalSignsLayout.Create(modulusBits: at3072.TotalBits + PackedLayout.GuardBits + 1).TotalBits);
    }

    [Fact]
    public void Every_vital_signs_row_has_the_same_bit_length_because_the_top_slot_is_always_one()
    {
        var layout = VitalSignsLayout.Create();
        var top = layout.Slots[^1];
        Values(layout).Sample(row =>
        {
            row[^1] = 1;
            Assert.Equal(top.Offset + 1, layout.Encode(row).GetBitLength());
        }, iter: 200);
    }
}
