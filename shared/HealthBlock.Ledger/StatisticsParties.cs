using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// Who takes part in a statistics transaction besides its signer: the statistics identity it names (so that identity's
/// party index lists every consent, contribution and policy about it), and for a decryption record the requester and
/// every cohort member (so a patient can see each decryption that included them).
/// </summary>
internal static class StatisticsParties
{
    public static IEnumerable<IdentityId> Of(TransactionPayload payload)
    {
        switch (payload)
        {
            case StatisticsConsentPayload p:
                yield return p.Statistics;
                break;
            case StatisticsContributionPayload p:
                yield return p.Statistics;
                break;
            case StatisticsPolicyPayload p:
                yield return p.Statistics;
                break;
            case StatisticsDecryptionPayload p:
                yield return p.Requester;
                foreach (var patient in p.Patients)
                {
                    yield return patient;
                }

                break;
        }
    }
}
