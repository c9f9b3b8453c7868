using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor;

/// <summary>A diagnosis about a patient as the patient reads it.</summary>
/// <param name="Committed">The committed diagnosis transaction.</param>
/// <param name="Doctor">Who signed it.</param>
/// <param name="Payload">Its payload.</param>
/// <param name="Document">The decrypted document, or null when it could not be read.</param>
/// <param name="Error">Why it could not be read (no key for that doctor, block missing or tampered, wrong key), or null.</param>
public sealed record PatientDiagnosis(CommittedTransaction Committed, IdentityId Doctor, DiagnosisPayload Payload, DiagnosisDocument? Document, string? Error)
{
    /// <summary>The transaction id (hex).</summary>
    public string TransactionId => Committed.Transaction.IdHex;
}
