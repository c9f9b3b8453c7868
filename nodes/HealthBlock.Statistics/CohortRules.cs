using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Statistics;

/// <summary>
/// The two rules that keep a decrypted sum from singling anyone out (issue 20): a cohort holds at least k patients, and
/// it differs by at least k patients from every earlier decrypted cohort of the same metric whose window overlaps its
/// own (two sums over cohorts that differ by one patient give that patient's figure by subtraction). Identical cohorts
/// may be asked again: they reveal nothing new. Pure.
/// </summary>
public static class CohortRules
{
    /// <summary>Refuses a cohort of fewer than <paramref name="k"/> patients.</summary>
    /// <exception cref="CohortRefusedException">With <see cref="CohortRefusal.BelowK"/>.</exception>
    public static void CheckSize(int patients, uint k)
    {
        if (patients < k)
        {
            throw new CohortRefusedException(CohortRefusal.BelowK, $"A cohort of {patients} patients is below k = {k}.");
        }
    }

    /// <summary>Refuses a cohort within k patients of an earlier overlapping decryption of the same metric.</summary>
    /// <exception cref="CohortRefusedException">With <see cref="CohortRefusal.Differencing"/>.</exception>
    public static void CheckDifferencing(IEnumerable<StatisticsDecryptionPayload> earlier, string metric, long fromMs, long toMs, IReadOnlyCollection<IdentityId> cohort, uint k)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(cohort);
        foreach (var record in earlier)
        {
            if (record.Metric != metric || record.FromMs >= toMs || fromMs >= record.ToMs)
            {
                continue;
            }

            var difference = cohort.Except(record.Patients).Count() + record.Patients.Except(cohort).Count();
            if (difference > 0 && difference < k)
            {
                throw new CohortRefusedException(
                    CohortRefusal.Differencing,
                    $"The cohort differs by {difference} patient(s) from the {metric} cohort decrypted over [{record.FromMs}, {record.ToMs}); k = {k}.");
            }
        }
    }
}
