namespace HealthBlock.Doctor.Runtime;

/// <summary>A retry delay that starts at a minimum and doubles after each failure up to a maximum. Not thread-safe: one per loop.</summary>
internal sealed class Backoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;

    /// <summary>A backoff at <paramref name="min"/>.</summary>
    public Backoff(TimeSpan min, TimeSpan max)
    {
        _min = min;
        _max = max;
        Current = min;
    }

    /// <summary>The delay before the next retry.</summary>
    public TimeSpan Current { get; private set; }

    /// <summary>Doubles the delay, up to the maximum.</summary>
    public void Grow() => Current = TimeSpan.FromMilliseconds(Math.Min(Current.TotalMilliseconds * 2, _max.TotalMilliseconds));

    /// <summary>Back to the minimum (after a success).</summary>
    public void Reset() => Current = _min;
}
