using HealthBlock.Doctor.Storage;
using HealthBlock.Ledger;

namespace HealthBlock.Doctor.Submitting;

/// <summary>
/// The doctor's transaction nonces, shared by the node and the CLI through the database's nonce counter: a nonce is
/// taken above both the last one this process took and the highest one persisted (each signed diagnosis raises the
/// counter in the transaction that records it, <see cref="DiagnosisTable.RecordSigned"/>), so the node and a note
/// written meanwhile seldom clash — and when they do, <see cref="LedgerSubmitter"/> re-signs. A nonce taken but never
/// recorded was never submitted, so a restart may hand it out again harmlessly. Safe for concurrent use.
/// </summary>
internal sealed class DatabaseNonceCounter(CounterTable counters) : INonceCounter
{
    private readonly Lock _lock = new();
    private ulong _last;

    /// <inheritdoc />
    public ulong Take()
    {
        lock (_lock)
        {
            _last = Math.Max(_last, counters.Get(CounterTable.Nonce)) + 1;
            return _last;
        }
    }

    /// <inheritdoc />
    public void RaiseTo(ulong lastUsed)
    {
        lock (_lock)
        {
            _last = Math.Max(_last, lastUsed);
        }

        counters.Raise(CounterTable.Nonce, lastUsed);
    }
}
