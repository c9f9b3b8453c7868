namespace HealthBlock.Alerts;

/// <summary>
/// At most <c>limit</c> events in any window of length <c>window</c>: remembers the times of the last
/// <c>limit</c> events. Not thread-safe (the mail loop is its only user).
/// </summary>
internal sealed class SlidingWindowLimiter(int limit, TimeSpan window)
{
    private readonly Queue<DateTimeOffset> _events = new(limit);

    /// <summary>Takes one event if the window has room.</summary>
    public bool TryAcquire(DateTimeOffset now)
    {
        Expire(now);
        if (_events.Count >= limit)
        {
            return false;
        }

        _events.Enqueue(now);
        return true;
    }

    /// <summary>How long until an event fits (zero when one fits now).</summary>
    public TimeSpan WaitTime(DateTimeOffset now)
    {
        Expire(now);
        if (_events.Count < limit)
        {
            return TimeSpan.Zero;
        }

        var wait = _events.Peek() + window - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private void Expire(DateTimeOffset now)
    {
        while (_events.Count > 0 && now - _events.Peek() >= window)
        {
            _events.Dequeue();
        }
    }
}
