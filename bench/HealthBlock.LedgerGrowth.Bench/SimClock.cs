namespace HealthBlock.LedgerGrowth.Bench;

/// <summary>A clock the generator sets: transactions carry the simulated time they were made at.</summary>
internal sealed class SimClock : TimeProvider
{
    private long _nowMs;

    public long NowMs
    {
        get => Volatile.Read(ref _nowMs);
        set => Volatile.Write(ref _nowMs, value);
    }

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);
}
