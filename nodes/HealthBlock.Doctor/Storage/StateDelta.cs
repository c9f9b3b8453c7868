namespace HealthBlock.Doctor.Storage;

/// <summary>Counts of IoT transactions moved between states by one database call.</summary>
internal sealed class StateDelta
{
    private readonly long[] _counts = new long[States.IotStateCount];

    /// <summary>The net change of <paramref name="state"/>'s count.</summary>
    public long this[IotState state] => _counts[(int)state];

    /// <summary>Records <paramref name="count"/> transactions entering <paramref name="to"/> (from <paramref name="from"/>, or new).</summary>
    public void Move(IotState? from, IotState to, long count = 1)
    {
        if (from is { } f)
        {
            _counts[(int)f] -= count;
        }

        _counts[(int)to] += count;
    }

    /// <summary>Adds the changes to running totals (thread-safe).</summary>
    public void ApplyTo(long[] totals)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            Interlocked.Add(ref totals[i], _counts[i]);
        }
    }
}
