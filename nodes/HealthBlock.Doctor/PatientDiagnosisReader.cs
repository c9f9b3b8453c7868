using HealthBlock.Crypto;
using HealthBlock.Doctor.Following;
using HealthBlock.Ledger;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;

namespace HealthBlock.Doctor;

/// <summary>
/// The patient side: lists every diagnosis about a patient on Docchain, fetches each sealed document by its CID
/// (verified by the store) and opens it with the diagnosis key the patient issued to its doctor.
/// </summary>
public static class PatientDiagnosisReader
{
    /// <summary>Reads every diagnosis about <paramref name="patient"/>, in ledger order.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="store">The content store holding the sealed documents.</param>
    /// <param name="patient">The patient.</param>
    /// <param name="diagnosisKeyOf">The diagnosis key issued to a doctor (e.g. from the gateway's doctors table), or null.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    public static Task<IReadOnlyList<PatientDiagnosis>> ReadAsync(ILedgerReader ledger, IContentStore store, IdentityId patient, Func<IdentityId, byte[]?> diagnosisKeyOf, CancellationToken cancellationToken = default) =>
        ReadAsync(ledger, store, patient, patient, null, diagnosisKeyOf, cancellationToken);

    /// <summary>
    /// Reads the diagnoses <paramref name="doctor"/> wrote about <paramref name="patient"/>, in ledger order, from the
    /// doctor's own history: they stay readable to the doctor after the patient revoked it (the patient's records do not).
    /// </summary>
    /// <param name="ledger">The ledger, read as <paramref name="doctor"/>.</param>
    /// <param name="store">The content store holding the sealed documents.</param>
    /// <param name="doctor">The doctor who wrote them.</param>
    /// <param name="patient">The patient.</param>
    /// <param name="diagnosisKey">The diagnosis key the patient issued to the doctor, or null.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    public static Task<IReadOnlyList<PatientDiagnosis>> ReadByAsync(ILedgerReader ledger, IContentStore store, IdentityId doctor, IdentityId patient, byte[]? diagnosisKey, CancellationToken cancellationToken = default) =>
        ReadAsync(ledger, store, doctor, patient, doctor, _ => diagnosisKey, cancellationToken);

    /// <summary>The diagnoses about <paramref name="patient"/> in <paramref name="party"/>'s Docchain history, signed by <paramref name="author"/> when given.</summary>
    private static async Task<IReadOnlyList<PatientDiagnosis>> ReadAsync(ILedgerReader ledger, IContentStore store, IdentityId party, IdentityId patient, IdentityId? author, Func<IdentityId, byte[]?> diagnosisKeyOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(diagnosisKeyOf);
        var diagnoses = new List<(CommittedTransaction Committed, DiagnosisPayload Payload)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await PartyHistory.ReadAsync(
            ledger,
            party,
            ChainId.Docchain,
            0,
            (page, _) => diagnoses.AddRange(
                from committed in page
                let p = committed.Transaction.Body.Payload as DiagnosisPayload
                where p is not null && p.Patient == patient && (author is null || committed.Transaction.Body.Signer == author) && seen.Add(committed.Transaction.IdHex)
                select (committed, p)),
            cancellationToken).ConfigureAwait(false);

        var result = new List<PatientDiagnosis>(diagnoses.Count);
        foreach (var (committed, payload) in diagnoses)
        {
            result.Add(await OpenAsync(store, committed, payload, diagnosisKeyOf, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    private static async Task<PatientDiagnosis> OpenAsync(IContentStore store, CommittedTransaction committed, DiagnosisPayload payload, Func<IdentityId, byte[]?> diagnosisKeyOf, CancellationToken cancellationToken)
    {
        var doctor = committed.Transaction.Body.Signer;
        var key = diagnosisKeyOf(doctor);
        if (key is null)
        {
            return new PatientDiagnosis(committed, doctor, payload, null, $"no diagnosis key for doctor {doctor}");
        }

        try
        {
            var sealedDocument = await store.GetAsync(payload.Cid, cancellationToken).ConfigureAwait(false);
            var document = SealedDiagnosis.Open(sealedDocument, key, committed.Transaction);
            return new PatientDiagnosis(committed, doctor, payload, document, null);
        }
        catch (Exception e) when (e is StoreException or CryptoException or ProtocolException)
        {
            return new PatientDiagnosis(committed, doctor, payload, null, e.Message);
        }
    }
}
