using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Fakes;

/// <summary>The host's wall clock, for wearables that run in real time.</summary>
public sealed class SystemClock : IClock
{
    private SystemClock()
    {
    }

    /// <summary>The one instance.</summary>
    public static SystemClock Instance { get; } = new();

    /// <inheritdoc />
    public long UtcNowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
