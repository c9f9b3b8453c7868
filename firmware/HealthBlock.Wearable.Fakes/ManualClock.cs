using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Fakes;

/// <summary>
/// A clock that moves only when told to, so tests and emulated wearables run faster than real time and without
/// timing flakiness. Thread-safe: one thread may advance it while others read it.
/// </summary>
public sealed class ManualClock : IClock
{
    /// <summary>The default start, mid-2025 in ms since the Unix epoch.</summary>
    public const long DefaultStartMs = 1_750_000_000_000;

    private long _nowMs;

    /// <summary>Starts at <paramref name="startMs"/> (ms since the Unix epoch).</summary>
    public ManualClock(long startMs = DefaultStartMs) => _nowMs = startMs;

    /// <inheritdoc />
    public long UtcNowMs => Interlocked.Read(ref _nowMs);

    /// <summary>Moves the clock by <paramref name="ms"/> (negative steps it back, as SNTP may).</summary>
    public void Advance(long ms) => Interlocked.Add(ref _nowMs, ms);

    /// <summary>Moves the clock forward by <paramref name="duration"/>.</summary>
    public void Advance(TimeSpan duration) => Advance((long)duration.TotalMilliseconds);

    /// <summary>Moves the clock to <paramref name="utcMs"/> unless it is already there or later: it never goes back.</summary>
    public void AdvanceTo(long utcMs)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _nowMs);
            if (utcMs <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _nowMs, utcMs, current) != current);
    }
}
