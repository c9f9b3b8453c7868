using HealthBlock.Crypto;
using HealthBlock.Paillier;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The rules of the statistics transactions (issue 20), checked on every replica like the others: a statistics identity
/// publishes one Paillier key of at least 2048 bits; an admin sets its k; a patient opts in and out in time order; a
/// patient's contribution names a statistics identity with a key, falls in the patient's current opt-in, covers at most an
/// hour in whole seconds, starts at or after the end of the patient's last contribution (one per patient per period), and
/// carries one ciphertext that is valid under the key (its fingerprint, 0 &lt; c &lt; n², gcd(c, n) = 1); a decryption
/// record is signed by the statistics identity, names a doctor or admin as the requester and a cohort of at least k
/// registered, currently opted-in patients. Pure: the state is only read.
/// </summary>
internal static class StatisticsRules
{
    /// <summary>Ciphertexts in one contribution under <see cref="VitalSignsLayout"/>: one.</summary>
    public const int CiphertextsPerContribution = 1;

    /// <summary>True for the payloads these rules check.</summary>
    public static bool Covers(TransactionPayload payload) => payload is StatisticsKeyPayload or StatisticsConsentPayload
        or StatisticsContributionPayload or StatisticsPolicyPayload or StatisticsDecryptionPayload;

    /// <summary>Checks a statistics transaction; null when valid.</summary>
    public static Rejection? Check(LedgerState state, TransactionBody body, IdentityRecord signer) => body.Payload switch
    {
        StatisticsKeyPayload p => CheckKey(state, body, signer, p),
        StatisticsConsentPayload p => CheckConsent(state, body, signer, p),
        StatisticsContributionPayload p => CheckContribution(state, body, signer, p),
        StatisticsPolicyPayload p => CheckPolicy(state, signer, p),
        StatisticsDecryptionPayload p => CheckDecryption(state, body, signer, p),
        _ => new(RejectReason.Malformed, $"{body.Payload.GetType().Name} is not a statistics payload"),
    };

    private static Rejection? CheckKey(LedgerState state, TransactionBody body, IdentityRecord signer, StatisticsKeyPayload p)
    {
        if (signer.Role != Role.Statistics)
        {
            return TransactionRules.WrongRole(signer, "publish a statistics key");
        }

        if (state.Statistics.GetKey(body.Signer) is not null)
        {
            return new(RejectReason.StatisticsKeyRefused, $"statistics identity {body.Signer} has published its key already (a new key needs a new statistics identity)");
        }

        try
        {
            StatisticsKeyRecord.Parse(p.PublicKey);
            return null;
        }
        catch (PaillierException e)
        {
            return new(RejectReason.StatisticsKeyRefused, $"the statistics key is refused: {e.Message}");
        }
    }

    private static Rejection? CheckConsent(LedgerState state, TransactionBody body, IdentityRecord signer, StatisticsConsentPayload p)
    {
        if (signer.Role != Role.Patient)
        {
            return TransactionRules.WrongRole(signer, "opt in to or out of cohort statistics");
        }

        if (state.GetIdentity(p.Statistics) is not { Role: Role.Statistics })
        {
            return new(RejectReason.NotStatisticsIdentity, $"{p.Statistics} is not a registered statistics identity");
        }

        return state.Statistics.GetConsent(body.Signer, p.Statistics) is { } previous && body.TimeMs <= previous.LastChangeMs
            ? new(RejectReason.ConsentRegressed, $"consent time {body.TimeMs} is not after the previous change at {previous.LastChangeMs}")
            : null;
    }

    private static Rejection? CheckContribution(LedgerState state, TransactionBody body, IdentityRecord signer, StatisticsContributionPayload p)
    {
        if (signer.Role != Role.Patient)
        {
            return TransactionRules.WrongRole(signer, "contribute to cohort statistics");
        }

        if (KeyOf(state, p.Statistics) is not { } key)
        {
            return new(RejectReason.NotStatisticsIdentity, $"{p.Statistics} is not a statistics identity with a published key");
        }

        if (state.Statistics.GetConsent(body.Signer, p.Statistics)?.InSinceMs is not { } since)
        {
            return new(RejectReason.ConsentMissing, $"patient {body.Signer} is not opted in to {p.Statistics}");
        }

        if (p.PeriodStartMs < since)
        {
            return new(RejectReason.ConsentMissing, $"the period starts at {p.PeriodStartMs}, before the patient's opt-in at {since}");
        }

        if (p.PeriodEndMs - p.PeriodStartMs > VitalSignsLayout.MaxPeriodMs || p.PeriodStartMs % 1000 != 0 || p.PeriodEndMs % 1000 != 0)
        {
            return new(RejectReason.InvalidPeriod, $"the period [{p.PeriodStartMs}, {p.PeriodEndMs}) is longer than an hour or not in whole seconds");
        }

        if (state.Statistics.GetLastPeriodEnd(body.Signer, p.Statistics) is { } lastEnd && p.PeriodStartMs < lastEnd)
        {
            return new(RejectReason.PeriodOverlaps, $"the period starts at {p.PeriodStartMs}, before the end of the patient's last contribution at {lastEnd}");
        }

        if (p.Ciphertexts.Count != CiphertextsPerContribution)
        {
            return new(RejectReason.InvalidCiphertext, $"a contribution carries {CiphertextsPerContribution} ciphertext, not {p.Ciphertexts.Count}");
        }

        foreach (var c in p.Ciphertexts)
        {
            try
            {
                PaillierCbor.DecodeCiphertext(c, key.Key);
            }
            catch (PaillierException e)
            {
                return new(RejectReason.InvalidCiphertext, $"a ciphertext is refused: {e.Message}");
            }
        }

        return null;
    }

    private static Rejection? CheckPolicy(LedgerState state, IdentityRecord signer, StatisticsPolicyPayload p)
    {
        if (signer.Role != Role.Admin)
        {
            return TransactionRules.WrongRole(signer, "set a statistics policy");
        }

        if (state.GetIdentity(p.Statistics) is not { Role: Role.Statistics })
        {
            return new(RejectReason.NotStatisticsIdentity, $"{p.Statistics} is not a registered statistics identity");
        }

        return p.K < StatisticsPolicyPayload.MinK || p.K > StatisticsDecryptionPayload.MaxPatients
            ? new(RejectReason.InvalidStatisticsPolicy, $"k = {p.K}: it lies between {StatisticsPolicyPayload.MinK} and {StatisticsDecryptionPayload.MaxPatients}")
            : null;
    }

    private static Rejection? CheckDecryption(LedgerState state, TransactionBody body, IdentityRecord signer, StatisticsDecryptionPayload p)
    {
        if (signer.Role != Role.Statistics)
        {
            return TransactionRules.WrongRole(signer, "record decryptions");
        }

        if (KeyOf(state, body.Signer) is null)
        {
            return new(RejectReason.NotStatisticsIdentity, $"statistics identity {body.Signer} has published no key");
        }

        if (state.GetIdentity(p.Requester) is not { Role: Role.Doctor or Role.Admin })
        {
            return new(RejectReason.InvalidCohort, $"requester {p.Requester} is not a registered doctor or admin");
        }

        var k = state.Statistics.GetK(body.Signer);
        if (p.K < k || p.Patients.Count < p.K)
        {
            return new(RejectReason.CohortBelowK, $"a cohort of {p.Patients.Count} patients checked against k = {p.K}; the policy's k is {k}");
        }

        if (p.Contributions < (ulong)p.Patients.Count)
        {
            return new(RejectReason.InvalidCohort, $"{p.Contributions} contributions cannot come from {p.Patients.Count} patients");
        }

        foreach (var patient in p.Patients)
        {
            if (state.GetIdentity(patient) is not { Role: Role.Patient })
            {
                return new(RejectReason.InvalidCohort, $"cohort member {patient} is not a registered patient");
            }

            if (state.Statistics.GetConsent(patient, body.Signer)?.InSinceMs is null)
            {
                return new(RejectReason.ConsentMissing, $"cohort member {patient} is not opted in");
            }
        }

        return null;
    }

    private static StatisticsKeyRecord? KeyOf(LedgerState state, IdentityId statistics) =>
        state.GetIdentity(statistics) is { Role: Role.Statistics } ? state.Statistics.GetKey(statistics) : null;
}
