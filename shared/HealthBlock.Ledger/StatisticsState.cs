using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The statistics part of a <see cref="LedgerState"/>: reads through a layer's tables to its parent's (as the state
/// does), and applies valid statistics transactions to the layer's own tables.
/// </summary>
/// <param name="own">This layer's tables.</param>
/// <param name="parent">The parent layer's view, or null at the committed state.</param>
internal sealed class StatisticsState(StatisticsTables own, StatisticsState? parent)
{
    /// <summary>A statistics identity's published key, or null.</summary>
    public StatisticsKeyRecord? GetKey(IdentityId statistics) =>
        own.Keys.TryGetValue(statistics, out var k) ? k : parent?.GetKey(statistics);

    /// <summary>The k a statistics identity applies: the latest policy's, else <see cref="StatisticsPolicyPayload.DefaultK"/>.</summary>
    public uint GetK(IdentityId statistics) =>
        own.Policies.TryGetValue(statistics, out var k) ? k : parent?.GetK(statistics) ?? StatisticsPolicyPayload.DefaultK;

    /// <summary>A patient's consent to a statistics identity, or null when it never sent one.</summary>
    public StatisticsConsent? GetConsent(IdentityId patient, IdentityId statistics) =>
        own.Consents.TryGetValue((patient, statistics), out var c) ? c : parent?.GetConsent(patient, statistics);

    /// <summary>The end of the patient's last contribution to a statistics identity, or null.</summary>
    public long? GetLastPeriodEnd(IdentityId patient, IdentityId statistics) =>
        own.LastPeriodEnds.TryGetValue((patient, statistics), out var e) ? e : parent?.GetLastPeriodEnd(patient, statistics);

    /// <summary>Applies a statistics transaction that <see cref="StatisticsRules"/> found valid; other kinds are ignored.</summary>
    public void Apply(TransactionBody body)
    {
        switch (body.Payload)
        {
            case StatisticsKeyPayload p:
                own.Keys[body.Signer] = StatisticsKeyRecord.Parse(p.PublicKey);
                break;
            case StatisticsConsentPayload p:
                var since = p.OptIn ? GetConsent(body.Signer, p.Statistics)?.InSinceMs ?? body.TimeMs : (long?)null;
                own.Consents[(body.Signer, p.Statistics)] = new StatisticsConsent(since, body.TimeMs);
                break;
            case StatisticsContributionPayload p:
                own.LastPeriodEnds[(body.Signer, p.Statistics)] = p.PeriodEndMs;
                break;
            case StatisticsPolicyPayload p:
                own.Policies[p.Statistics] = p.K;
                break;
        }
    }
}
