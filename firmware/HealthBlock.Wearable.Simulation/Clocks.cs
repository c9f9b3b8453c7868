using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Simulation;

/// <summary>A clock that only moves when told to, so emulated wearables run faster than real time. Thread-safe.</summary>
public sealed class VirtualClock : IClock
{
    private long _nowMs;

    /// <summary>Starts at <paramref name="startMs"/> (ms since the Unix epoch).</summary>
    public VirtualClock(long startMs) => _nowMs = startMs;

    /// <inheritdoc />
    public long UtcNowMs => Interlocked.Read(ref _nowMs);

    /// <summary>Moves the clock to <paramref name="utcMs"/>; it never goes back.</summary>
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

    /// <summary>Moves the clock forward by <paramref name="duration"/>.</summary>
    public void Advance(TimeSpan duration) => AdvanceTo(UtcNowMs + (long)duration.TotalMilliseconds);
}

/// <summary>The host's wall clock.</summary>
public sealed class SystemClock : IClock
{
    /// <summary>The one instance.</summary>
    public static SystemClock Instance { get; } = new();

    private SystemClock()
    {
    }

    /// <inheritdoc />
    public long UtcNowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
