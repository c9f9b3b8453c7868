using CsCheck;

namespace HealthBlock.Analysis.Tests;

public class OrderStatisticTests
{
    [Fact]
    public void Select_gives_the_value_a_sorted_copy_has_at_that_index()
    {
        // Few distinct values (many ties), NaN, both zeros and infinities as well as ordinary doubles.
        var value = Gen.OneOf(
            Gen.Double[-10, 10],
            Gen.Int[-3, 3].Select(i => (double)i),
            Gen.OneOf<double>(double.NaN, -0.0, 0.0, double.PositiveInfinity, double.NegativeInfinity));
        Gen.Select(value.Array[1, 300], Gen.Double[0, 1]).Sample((values, q) =>
        {
            var k = (int)(q * (values.Length - 1));
            var sorted = values.ToArray();
            Array.Sort(sorted);
            var selected = OrderStatistic.Select(values.ToArray(), k);
            Assert.Equal(sorted[k], selected);
        });
    }

    [Fact]
    public void Select_rejects_an_index_outside_the_values()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderStatistic.Select(new double[3], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderStatistic.Select(new double[3], -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderStatistic.Select([], 0));
    }
}
