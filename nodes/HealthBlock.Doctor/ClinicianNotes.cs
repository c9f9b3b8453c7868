using HealthBlock.Crypto;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;
using HealthBlock.Doctor.Submitting;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Doctor;

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
        var followed = await ledger.GetTransactionAsync(followedId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Transaction {followedTransactionId} is not committed.");
        if (followed.Transaction.Body.Payload is not DiagnosisPayload diagnosis)
        {
            throw new InvalidOperationException($"Transaction {followedTransactionId} is a {followed.Transaction.Body.Type} transaction, not a diagnosis.");
        }

        using var db = DoctorDatabase.Open(dataFolder);
        var keys = new PatientKeyring(db, LocalSealer.Open(db, doctor));
        var patient = diagnosis.Patient;
        var state = db.Patients.Get(patient);
        if (state is null || !state.Authorised)
        {
            throw new InvalidOperationException($"Patient {patient} does not authorise this doctor (as far as this data folder knows; the doctor node records key transactions).");
        }

        var epochKeys = keys.Open(patient, state.Epoch)
            ?? throw new InvalidOperationException($"No diagnosis key of patient {patient} for epoch {state.Epoch}.");
        var number = db.Counters.Reserve(CounterTable.DiagnosisNumber, 1);
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
        var cid = await store.PutCheckedAsync(SealedDiagnosis.Seal(document, epochKeys.DiagnosisKey), cancellationToken).ConfigureAwait(false);
        await store.PinAsync(cid, cancellationToken).ConfigureAwait(false);

        // Signed, persisted, then submitted through the same journal as the node's diagnoses (they share the nonce counter).
        var network = await NetworkPin.ResolveAsync(ledger, db.Counters.GetMeta(NetworkPin.Name), b => db.Counters.SetMetaIfAbsent(NetworkPin.Name, b), dataFolder, cancellationToken).ConfigureAwait(false);
        var journal = new DiagnosisJournal(db.Diagnoses, new LedgerSubmitter(doctor, network, new DatabaseNonceCounter(db.Counters), ledger, clock), clock, NullLogger.Instance);
        await journal.SyncNonceAsync(cancellationToken).ConfigureAwait(false);
        var payload = new DiagnosisPayload(patient, state.Epoch, cid, [], diagnosis.WindowStartMs, diagnosis.WindowEndMs, followed.Transaction.IdBytes);
        var recorded = journal.SignAndRecord(number, patient, state.Epoch, DiagnosisKinds.ClinicianNote, payload, [], null)
            ?? throw new InvalidOperationException("A note covers no IoT transaction: recording it cannot fail.");
        var outcome = await journal.SubmitAsync(recorded.Row, recorded.Transaction, cancellationToken).ConfigureAwait(false);
        if (!outcome.Accepted)
        {
            db.Diagnoses.MarkRefused(recorded.Row.Number, outcome.Reason.ToString(), IotState.Failed, clock.GetUtcNow().ToUnixTimeMilliseconds());
            throw outcome.ToException();
        }

        var tx = outcome.Transaction;
        var location = await ledger.WaitForCommitAsync(tx.IdBytes, commitTimeout ?? TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        db.Diagnoses.MarkCommitted(recorded.Row.Number, tx.IdHex, location.ToString(), clock.GetUtcNow().ToUnixTimeMilliseconds());
        return new PublishedNote(tx.IdHex, location, number, cid);
    }
}
