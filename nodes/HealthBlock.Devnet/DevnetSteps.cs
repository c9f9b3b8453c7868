using HealthBlock.Accounting;
using HealthBlock.Doctor;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Devnet;

/// <summary>The devnet run's waits and chores that need no state of the run: ordered submission, waiting for the doctors, cleaning up.</summary>
internal static class DevnetSteps
{
    /// <summary>Submits one signer's transactions in nonce order (each accepted before the next), then waits for all commits.</summary>
    internal static async Task SubmitInOrderAsync(ILedger ledger, IEnumerable<Transaction> transactions, CancellationToken cancellationToken)
    {
        var submitted = new List<Transaction>();
        foreach (var tx in transactions)
        {
            (await ledger.SubmitAsync(tx, cancellationToken).ConfigureAwait(false)).EnsureAccepted();
            submitted.Add(tx);
        }

        await Task.WhenAll(submitted.Select(tx => ledger.WaitForCommitAsync(tx.IdBytes, TimeSpan.FromSeconds(60), cancellationToken))).ConfigureAwait(false);
    }

    internal static async Task WaitForDoctorsAsync(AccountingNode ledger, DoctorNode[] doctors, bool live)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var target = (await ledger.GetStatusAsync().ConfigureAwait(false)).BlockCount(ChainId.Userchain);
        // On the live path IoT transactions wait for their summary period: only the follower must catch up.
        while (DateTime.UtcNow < deadline && !doctors.All(d => d.Counters.UserchainHeight >= target && (live || d.Counters.InProgress == 0)))
        {
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    internal static async Task WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    internal static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
