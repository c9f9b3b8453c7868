using HealthBlock.Crypto;
using HealthBlock.Doctor.Storage;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;

namespace HealthBlock.Doctor;

/// <summary>A clinician note committed on Docchain.</summary>
/// <param name="TransactionId">The note's diagnosis transaction id (hex).</param>
/// <param name="Location">Where it committed.</param>
/// <param name="Number">The doctor's diagnosis number it was sealed with.</param>
/// <param name="Cid">Where the sealed note is stored.</param>
public sealed record PublishedNote(string TransactionId, TxLocation Location, ulong Number, Cid Cid);

/// <summary>
/// Adds a clinician's note to a committed diagnosis: a <see cref="DiagnosisKinds.ClinicianNote"/> document (the
/// note text, the followed diagnosis, its window, no covered IoT transactions) sealed like any diagnosis under this
/// doctor's diagnosis key for the patient, stored, and referenced by a diagnosis transaction signed by the doctor
/// with <c>Follows</c> = the followed diagnosis. Works on the doctor node's data folder, also while the node runs
/// (they share the diagnosis and nonce counters). Like every diagnosis, a note consumes the diagnosis fee.
/// </summary>
public static class ClinicianNotes
{
    /// <summary>Longest note, in characters.</summary>
    public const int MaxNoteLength = 16 * 1024;

    /// <summary>Publishes a note following diagnosis <paramref name="followedTransactionId"/> (hex) and waits for its commit.</summary>
    /// <exception cref="ArgumentException">Empty or too long a note, or a malformed transaction id.</exception>
    /// <exception cref="InvalidOperationException">The followed transaction is not a committed diagnosis, or this doctor holds no key of its patient.</exception>
    /// <exception cref="LedgerRejectedException">The ledger refused the note.</exception>
    public static async Task<PublishedNote> PublishAsync(
        string dataFolder,
        IdentityKey doctor,
        ILedger ledger,
        IContentStore store,
        string followedTransactionId,
        string note,
        TimeSpan? commitTimeout = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(doctor);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(followedTransactionId);
        if (string.IsNullOrWhiteSpace(note) || note.Length > MaxNoteLength)
        {
            throw new ArgumentException($"A note is 1 to {MaxNoteLength} characters.", nameof(note));
        }

        byte[] followedId;
        try
        {
            followedId = Convert.FromHexString(followedTransactionId);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"'{followedTransactionId}' is not a transaction id (64 hex digits).", nameof(followedTransactionId), e);
        }

        if (followedId.Length != 32)
        {
            throw new ArgumentException($"'{followedTransactionId}' is not a transaction id (64 hex digits).", nameof(followedTransactionId));
        }

        var clock = time ?? TimeProvider.System;
        var followed = await ledger.GetTransactionAsync(followedId, cancellationToken)
            ?? throw new InvalidOperationException($"Transaction {followedTransactionId} is not committed.");
        if (followed.Transaction.Body.Payload is not DiagnosisPayload diagnosis)
        {
            throw new InvalidOperationException($"Transaction {followedTransactionId} is a {followed.Transaction.Body.Type} transaction, not a diagnosis.");
        }

        using var db = DoctorDatabase.Open(dataFolder);
        var sealer = LocalSealer.Open(db, doctor);
        var patient = diagnosis.Patient;
        var state = db.GetPatient(patient);
        if (state is null || !state.Authorised)
        {
            throw new InvalidOperationException($"Patient {patient} does not authorise this doctor (as far as this data folder knows; the doctor node records key transactions).");
        }

        var keys = db.GetKeys(patient, state.Epoch)
            ?? throw new InvalidOperationException($"No diagnosis key of patient {patient} for epoch {state.Epoch}.");
        var diagnosisKey = sealer.Open(keys.SealedDiagnosisKey, DoctorNode.DiagnosisKeyLabelFor(patient, state.Epoch));
        var number = db.Reserve(DoctorDatabase.DiagnosisNumber, 1);
        var document = new DiagnosisDocument
        {
            Kind = DiagnosisKinds.ClinicianNote,
            Patient = patient.ToString(),
            Doctor = doctor.Id.ToString(),
            Epoch = state.Epoch,
            Number = number,
            Covers = [],
            WindowStartMs = diagnosis.WindowStartMs,
            WindowEndMs = diagnosis.WindowEndMs,
            CreatedMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Follows = followed.Transaction.IdHex,
            Label = DiagnosisDocument.ClinicianNoteLabel,
            ClinicianNote = note,
        };
        var sealedNote = SealedDiagnosis.Seal(document, diagnosisKey);
        var cid = await store.PutCheckedAsync(sealedNote, cancellationToken);

        await store.PinAsync(cid, cancellationToken);
        var payload = new DiagnosisPayload(patient, state.Epoch, cid, [], diagnosis.WindowStartMs, diagnosis.WindowEndMs, followed.Transaction.IdBytes);
        var tx = Sign(db, doctor, payload, await ledger.GetNextNonceAsync(doctor.Id, cancellationToken), clock);
        var row = new DiagnosisRow((long)number, patient, state.Epoch, DiagnosisKinds.ClinicianNote, tx.Encode(), tx.IdHex, tx.Body.Nonce, cid.ToString(), null, DiagnosisState.Signed, null);
        db.RecordSigned(row, [], clock.GetUtcNow().ToUnixTimeMilliseconds());

        for (var attempt = 0; ; attempt++)
        {
            var result = await ledger.SubmitAsync(tx, cancellationToken);
            if (result.Accepted || result.Reason == RejectReason.DuplicateTransaction)
            {
                break;
            }

            if (result.Reason == RejectReason.ReplayedNonce && attempt < 5)
            {
                tx = Sign(db, doctor, payload, await ledger.GetNextNonceAsync(doctor.Id, cancellationToken), clock);
                db.UpdateSigned(row.Number, tx.Encode(), tx.IdHex, tx.Body.Nonce);
                continue;
            }

            db.MarkRefused(row.Number, result.Reason.ToString(), IotState.Failed, clock.GetUtcNow().ToUnixTimeMilliseconds());
            throw new LedgerRejectedException(result.Reason, result.Message ?? result.Reason.ToString());
        }

        var location = await ledger.WaitForCommitAsync(tx.IdBytes, commitTimeout ?? TimeSpan.FromSeconds(30), cancellationToken);
        db.MarkCommitted(row.Number, tx.IdHex, location.ToString(), clock.GetUtcNow().ToUnixTimeMilliseconds());
        return new PublishedNote(tx.IdHex, location, number, cid);
    }

    private static Transaction Sign(DoctorDatabase db, IdentityKey doctor, TransactionPayload payload, ulong ledgerNextNonce, TimeProvider clock)
    {
        db.RaiseCounter(DoctorDatabase.Nonce, ledgerNextNonce - 1);
        var nonce = db.Reserve(DoctorDatabase.Nonce, 1);
        return Transaction.Sign(new TransactionBody(doctor.Id, nonce, clock.GetUtcNow().ToUnixTimeMilliseconds(), payload), doctor);
    }
}
