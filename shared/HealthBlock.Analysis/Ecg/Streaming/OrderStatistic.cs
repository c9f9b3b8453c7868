namespace HealthBlock.Analysis;

/// <summary>
/// The k-th smallest of some values without sorting them all: Hoare's selection ("FIND", CACM 4(7), 1961) with a
/// median-of-three pivot, expected linear time. The values are reordered in place. The order is that of
/// <see cref="double.CompareTo(double)"/> (NaN first), so the result equals <c>sorted[k]</c> of a sorted copy.
/// </summary>
internal static class OrderStatistic
{
    /// <summary>Below this many values the rest is finished by insertion sort.</summary>
    private const int Small = 12;

    /// <summary>The value that would be at index <paramref name="k"/> if <paramref name="values"/> were sorted.</summary>
    /// <param name="values">The values (reordered).</param>
    /// <param name="k">Index in sorted order, 0 ≤ k &lt; length.</param>
    /// <returns>The k-th smallest value.</returns>
    public static double Select(Span<double> values, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, values.Length);
        int lo = 0, hi = values.Length - 1;
        while (hi - lo >= Small)
        {
            var mid = lo + ((hi - lo) >> 1);
            Order(values, lo, mid);
            Order(values, lo, hi);
            Order(values, mid, hi);
            var pivot = values[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (Less(values[i], pivot))
                {
                    i++;
                }

                while (Less(pivot, values[j]))
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            // Now [lo, j] ≤ pivot ≤ [i, hi], and anything strictly between j and i equals the pivot.
            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return values[k];
            }
        }

        for (var a = lo + 1; a <= hi; a++)
        {
            var v = values[a];
            var b = a - 1;
            while (b >= lo && Less(v, values[b]))
            {
                values[b + 1] = values[b];
                b--;
            }

            values[b + 1] = v;
        }

        return values[k];
    }

    private static void Order(Span<double> values, int a, int b)
    {
        if (Less(values[b], values[a]))
        {
            (values[a], values[b]) = (values[b], values[a]);
        }
    }

    private static bool Less(double a, double b) => a < b || (double.IsNaN(a) && !double.IsNaN(b));
}
