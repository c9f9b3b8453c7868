using HealthBlock.Crypto;

namespace HealthBlock.Web;

/// <summary>
/// Reads and decrypts the diagnoses about a patient (the doctor node's document format); the patient's gateway uses it
/// with the diagnosis keys it issued, so the gateway needs no knowledge of the document format.
/// </summary>
public interface IDiagnosisSource
{
    /// <summary>Every diagnosis about <paramref name="patient"/> on Docchain, in ledger order, opened with <paramref name="diagnosisKeyOf"/>.</summary>
    Task<IReadOnlyList<DiagnosisView>> ReadAsync(IdentityId patient, Func<IdentityId, byte[]?> diagnosisKeyOf, CancellationToken cancellationToken);
}
