namespace HealthBlock.LedgerGrowth.Bench;

/// <summary>A least-squares line y = a + b·x through measured points, to extrapolate a figure to one year.</summary>
internal sealed record GrowthLaw(double Intercept, double Slope)
{
    public static GrowthLaw Fit(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2)
        {
            return new GrowthLaw(points.Count == 1 ? points[0].Y : 0, 0);
        }

        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        var slope = sxx == 0 ? 0 : points.Sum(p => (p.X - mx) * (p.Y - my)) / sxx;
        return new GrowthLaw(my - (slope * mx), slope) { Mean = mx };
    }

    /// <summary>The line at <paramref name="x"/>; a negative slope (noise around a flat figure) counts as flat, from the mean.</summary>
    public double At(double x) => Slope >= 0 ? Intercept + (Slope * x) : Intercept + (Slope * Mean);

    /// <summary>Mean x of the points (where a flat figure is read).</summary>
    public double Mean { get; init; }
}
