namespace HealthBlock.Ledger;

/// <summary>An <see cref="INonceCounter"/> in memory: for signers whose nonces need not survive a restart.</summary>
public sealed class MemoryNonceCounter : INonceCounter
{
    private long _last;

    /// <summary>A counter whose first nonce is <paramref name="lastUsed"/> + 1.</summary>
    public MemoryNonceCounter(ulong lastUsed = 0) => _last = (long)lastUsed;

    /// <inheritdoc />
    public ulong Take() => (ulong)Interlocked.Increment(ref _last);

    /// <inheritdoc />
    public void RaiseTo(ulong lastUsed)
    {
        var current = Interlocked.Read(ref _last);
        while ((ulong)current < lastUsed)
        {
            var seen = Interlocked.CompareExchange(ref _last, (long)lastUsed, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
