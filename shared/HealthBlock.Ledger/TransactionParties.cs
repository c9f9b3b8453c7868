using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// Who takes part in a transaction (signer, registered identity, recipient, authorised doctors, diagnosed patient) and
/// whom it is about: what the party index and the transaction index record for it.
/// </summary>
internal static class TransactionParties
{
    /// <summary>The parties of <paramref name="body"/>, the signer first (an identity may appear twice).</summary>
    public static IEnumerable<IdentityId> Of(TransactionBody body)
    {
        yield return body.Signer;
        switch (body.Payload)
        {
            case RegisterPayload p:
                yield return IdentityId.FromSigningKey(p.SigningKey);
                break;
            case IssuePayload p:
                yield return p.To;
                break;
            case PaymentPayload p:
                yield return p.To;
                break;
            case KeyPayload p:
                foreach (var e in p.Envelopes)
                {
                    yield return e.Doctor;
                }

                break;
            case DiagnosisPayload p:
                yield return p.Patient;
                break;
            default:
                foreach (var party in StatisticsParties.Of(body.Payload))
                {
                    yield return party;
                }

                break;
        }
    }

    /// <summary>The identity a transaction is about: the registered identity, the diagnosed patient, else the signer.</summary>
    public static IdentityId Subject(TransactionBody body) => body.Payload switch
    {
        RegisterPayload p => IdentityId.FromSigningKey(p.SigningKey),
        DiagnosisPayload p => p.Patient,
        _ => body.Signer,
    };
}
