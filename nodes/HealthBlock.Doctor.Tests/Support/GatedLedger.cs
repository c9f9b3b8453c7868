using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor.Tests;

/// <summary>
/// A ledger that can hold diagnosis submissions at a gate (as if the doctor node were slow or crashed just before
/// submitting), so a test can change the world meanwhile. Everything else goes straight through.
/// </summary>
internal sealed class GatedLedger(ILedger inner) : LedgerProxy(inner)
{
    private TaskCompletionSource? _gate;
    private TaskCompletionSource<Transaction> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The next diagnosis transaction to reach the closed gate.</summary>
    public Task<Transaction> Held => _held.Task;

    /// <summary>Holds diagnosis submissions until <see cref="Open"/>.</summary>
    public void Close()
    {
        _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Lets held and later submissions through.</summary>
    public void Open() => Interlocked.Exchange(ref _gate, null)?.TrySetResult();

    public override async Task<SubmitResult> SubmitAsync(Transaction transaction, CancellationToken cancellationToken = default)
    {
        if (transaction.Body.Type == TransactionType.Diagnosis && _gate is { } gate)
        {
            _held.TrySetResult(transaction);
            await gate.Task.WaitAsync(cancellationToken);
        }

        return await Inner.SubmitAsync(transaction, cancellationToken);
    }
}
