using HealthBlock.Crypto;
using HealthBlock.Doctor.Storage;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Doctor.Submitting;

/// <summary>A diagnosis transaction signed and persisted, not yet submitted.</summary>
/// <param name="Row">Its database row.</param>
/// <param name="Transaction">The signed transaction.</param>
/// <param name="Delta">The IoT state changes recording it made (covered transactions now in diagnosis).</param>
internal sealed record RecordedDiagnosis(DiagnosisRow Row, Transaction Transaction, StateDelta Delta);

/// <summary>
/// Persisted, then submitted: how the node and <see cref="ClinicianNotes"/> sign and submit diagnosis transactions
/// through one <see cref="LedgerSubmitter"/>. A diagnosis is signed with the next nonce and persisted — with the IoT
/// transactions it covers moving to <see cref="IotState.InDiagnosis"/> in the same database transaction — before the
/// ledger can see it, so after a crash the same transaction is submitted again; a transaction re-signed after a nonce
/// clash replaces the persisted one before it is submitted.
/// </summary>
internal sealed class DiagnosisJournal(DiagnosisTable diagnoses, LedgerSubmitter submitter, TimeProvider time, ILogger log)
{
    /// <summary>Raises the nonce counter to the ledger's view of this doctor.</summary>
    public Task SyncNonceAsync(CancellationToken cancellationToken) => submitter.SyncNonceAsync(cancellationToken);

    /// <summary>
    /// Signs <paramref name="payload"/> and persists it as diagnosis <paramref name="number"/>; null (nothing recorded)
    /// when one of <paramref name="covers"/> is no longer pending.
    /// </summary>
    public RecordedDiagnosis? SignAndRecord(ulong number, IdentityId patient, uint epoch, string kind, DiagnosisPayload payload, IReadOnlyList<string> covers, long? earliestReadingMs)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var tx = submitter.Sign(payload);
        var row = new DiagnosisRow((long)number, patient, epoch, kind, tx.Encode(), tx.IdHex, tx.Body.Nonce, payload.Cid.ToString(), earliestReadingMs, DiagnosisState.Signed, null);
        var delta = diagnoses.RecordSigned(row, covers, time.GetUtcNow().ToUnixTimeMilliseconds());
        return delta is null ? null : new RecordedDiagnosis(row, tx, delta);
    }

    /// <summary>Submits a persisted diagnosis once (a duplicate counts as submitted), persisting each re-signed transaction first.</summary>
    public Task<SubmitOutcome> SubmitAsync(DiagnosisRow row, Transaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        var current = transaction;
        return submitter.SubmitAsync(
            transaction,
            resigned =>
            {
                log.LogInformation("Nonce {Nonce} was taken; diagnosis {Number} re-signed with nonce {New}", current.Body.Nonce, row.Number, resigned.Body.Nonce);
                diagnoses.UpdateSigned(row.Number, resigned.Encode(), resigned.IdHex, resigned.Body.Nonce);
                current = resigned;
            },
            cancellationToken);
    }
}
