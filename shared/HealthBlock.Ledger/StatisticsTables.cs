using HealthBlock.Crypto;

namespace HealthBlock.Ledger;

/// <summary>
/// The statistics tables of one <see cref="LedgerState"/> layer: published statistics keys, policies (k), patients'
/// consents and the end of each patient's last contribution, per statistics identity.
/// </summary>
internal sealed class StatisticsTables
{
    public Dictionary<IdentityId, StatisticsKeyRecord> Keys { get; } = [];

    public Dictionary<IdentityId, uint> Policies { get; } = [];

    public Dictionary<(IdentityId Patient, IdentityId Statistics), StatisticsConsent> Consents { get; } = [];

    public Dictionary<(IdentityId Patient, IdentityId Statistics), long> LastPeriodEnds { get; } = [];

    /// <summary>True when no statistics transaction has touched this layer.</summary>
    public bool IsEmpty => Keys.Count == 0 && Policies.Count == 0 && Consents.Count == 0 && LastPeriodEnds.Count == 0;

    /// <summary>Writes every entry of these tables over <paramref name="target"/>'s.</summary>
    public void CopyInto(StatisticsTables target)
    {
        foreach (var (k, v) in Keys)
        {
            target.Keys[k] = v;
        }

        foreach (var (k, v) in Policies)
        {
            target.Policies[k] = v;
        }

        foreach (var (k, v) in Consents)
        {
            target.Consents[k] = v;
        }

        foreach (var (k, v) in LastPeriodEnds)
        {
            target.LastPeriodEnds[k] = v;
        }
    }
}
