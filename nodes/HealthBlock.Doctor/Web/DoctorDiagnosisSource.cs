using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Storage;
using HealthBlock.Web;

namespace HealthBlock.Doctor.Web;

/// <summary>The diagnosis documents read with <see cref="PatientDiagnosisReader"/>, for the patient page.</summary>
/// <param name="ledger">The ledger.</param>
/// <param name="store">The content store holding the sealed documents.</param>
public sealed class DoctorDiagnosisSource(ILedgerReader ledger, IContentStore store) : IDiagnosisSource
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<DiagnosisView>> ReadAsync(IdentityId patient, Func<IdentityId, byte[]?> diagnosisKeyOf, CancellationToken cancellationToken)
    {
        var read = await PatientDiagnosisReader.ReadAsync(ledger, store, patient, diagnosisKeyOf, cancellationToken).ConfigureAwait(false);
        return [.. read.Select(DiagnosisViews.From)];
    }
}
