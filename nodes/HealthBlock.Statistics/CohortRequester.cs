using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Paillier;

namespace HealthBlock.Statistics;

/// <summary>
/// The requester's side of a cohort (what <c>healthblock stats cohort</c> does before it asks): reads the statistics
/// identity's history from the chain, sums the cohort's committed ciphertexts homomorphically — it never sees a
/// plaintext — and signs the request that carries the sum.
/// </summary>
public static class CohortRequester
{
    /// <summary>Builds and signs the request for a cohort.</summary>
    /// <exception cref="InvalidOperationException">The statistics identity has published no key.</exception>
    public static async Task<CohortRequest> PrepareAsync(
        ILedgerReader ledger,
        IdentityId statistics,
        IdentityKey requester,
        string metric,
        long fromMs,
        long toMs,
        IReadOnlyList<IdentityId>? patients,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var history = new StatisticsHistory(ledger, statistics);
        await history.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var cohort = patients ?? history.EligiblePatients(fromMs, toMs);
        var sum = history.Sum(history.ContributionsOf(cohort.ToHashSet(), fromMs, toMs));
        var now = (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds();
        return CohortRequest.Sign(requester, metric, fromMs, toMs, patients, PaillierCbor.Encode(sum), now);
    }
}
