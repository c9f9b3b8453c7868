using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The tables of one <see cref="LedgerState"/> layer: identities, nonces, balances, credits and patient key states (the
/// transaction index is the root's <see cref="ITransactionIndex"/>; a fork keeps its indexed transactions apart until it
/// merges). A fork keeps its own writes in its own tables and copies them into its parent's on merge.
/// </summary>
internal sealed class StateTables
{
    public Dictionary<IdentityId, IdentityRecord> Identities { get; } = [];

    public Dictionary<IdentityId, ulong> Nonces { get; } = [];

    public Dictionary<IdentityId, ulong> Balances { get; } = [];

    public Dictionary<(IdentityId Doctor, IdentityId Patient), ulong> Credits { get; } = [];

    public Dictionary<IdentityId, PatientState> Patients { get; } = [];

    /// <summary>Statistics keys, policies, consents and contributions (issue 20).</summary>
    public StatisticsTables Statistics { get; } = new();

    /// <summary>Writes every entry of these tables over <paramref name="target"/>'s.</summary>
    public void CopyInto(StateTables target)
    {
        CopyInto(Identities, target.Identities);
        CopyInto(Nonces, target.Nonces);
        CopyInto(Balances, target.Balances);
        CopyInto(Credits, target.Credits);
        CopyInto(Patients, target.Patients);
        Statistics.CopyInto(target.Statistics);
    }

    private static void CopyInto<TKey, TValue>(Dictionary<TKey, TValue> from, Dictionary<TKey, TValue> to)
        where TKey : notnull
    {
        foreach (var kv in from)
        {
            to[kv.Key] = kv.Value;
        }
    }
}
