using HealthBlock.Analysis;

namespace HealthBlock.Analysis.Tests;

public class RrIrregularityTests
{
    [Fact]
    public void Random_intervals_with_large_spread_are_irregular()
    {
        var rng = new Random(4);
        var rr = Enumerable.Range(0, 32).Select(_ => 0.7 * (1 + 0.2 * NoiseSources.NextGaussian(rng))).ToArray();

        var m = RrIrregularity.Measure(rr)!;

        Assert.True(m.IsIrregular, m.ToString());
        Assert.Equal(28, m.Count);
    }

    [Fact]
    public void Regular_alternation_and_smooth_trends_are_not_irregular()
    {
        var bigeminy = Enumerable.Range(0, 32).Select(i => i % 2 == 0 ? 0.55 : 1.05).ToArray();
        var trend = Enumerable.Range(0, 32).Select(i => 0.6 + 0.02 * i).ToArray();
        var respiratory = Enumerable.Range(0, 32).Select(i => 0.9 + 0.08 * Math.Sin(i / 2.0)).ToArray();

        Assert.False(RrIrregularity.Measure(bigeminy)!.IsIrregular);
        Assert.False(RrIrregularity.Measure(trend)!.IsIrregular);
        Assert.False(RrIrregularity.Measure(respiratory)!.IsIrregular);
    }

    [Fact]
    public void A_single_premature_beat_is_trimmed_away()
    {
        var rr = Enumerable.Repeat(0.8, 32).ToArray();
        rr[10] = 0.5;
        rr[11] = 1.1;

        var m = RrIrregularity.Measure(rr)!;

        Assert.Equal(0, m.NormalizedRmssd, 9);
        Assert.False(m.IsIrregular);
    }

    [Fact]
    public void Too_few_intervals_give_no_measurement()
    {
        Assert.Null(RrIrregularity.Measure(new double[RrIrregularity.MinIntervals - 1]));
    }
}
