using HealthBlock.Ledger;

namespace HealthBlock.Cli;

/// <summary>A ledger a command opened, disposed with the command when the command owns it.</summary>
/// <param name="ledger">The ledger.</param>
/// <param name="owned">True when the command opened it (an HTTP client) and disposes it.</param>
internal sealed class LedgerConnection(ILedger ledger, bool owned) : IDisposable
{
    /// <summary>The ledger.</summary>
    public ILedger Ledger { get; } = ledger;

    public void Dispose()
    {
        if (owned && Ledger is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
