using HealthBlock.Doctor.Credit;
using HealthBlock.Doctor.Following;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Doctor.Submitting;

/// <summary>
/// Records how a diagnosis ended. Committed: the diagnosis and the IoT transactions it covers are marked, its fee is
/// counted against the patient's credit, and an automated one is announced (<paramref name="announce"/>) with its
/// latency. Refused for good: <see cref="RejectReason.DoctorNotAuthorised"/> → its IoT transactions are not authorised
/// and nothing more is tried for the patient until a key transaction names this doctor again;
/// <see cref="RejectReason.InsufficientCredit"/> → they await payment, the patient's credit is held until its next
/// payment and this doctor's diagnoses on Docchain are read again (another process may have spent the credit); any
/// other reason → failed. Each outcome is recorded once, however often it is reported.
/// </summary>
internal sealed class DiagnosisOutcomes(
    DoctorDatabase db,
    NodeCounters counters,
    PatientCredit credit,
    DocchainReconciler reconciler,
    BackgroundWork work,
    Action<DiagnosisCommittedEventArgs> announce,
    ILogger log)
{
    /// <summary>The diagnosis committed at <paramref name="location"/>.</summary>
    public void Committed(DiagnosisRow row, Transaction tx, TxLocation location)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(tx);
        var committedMs = NowMs();
        var covers = db.Diagnoses.CoveredBy(row.Number);
        var (changed, delta) = db.Diagnoses.MarkCommitted(row.Number, tx.IdHex, location.ToString(), committedMs);
        counters.Apply(delta);
        if (!changed)
        {
            return;
        }

        counters.Committed(row.Kind);
        if (row.Kind == DiagnosisKinds.ClinicianNote)
        {
            return;
        }

        var args = new DiagnosisCommittedEventArgs(tx.IdHex, row.Patient.ToString(), row.Epoch, (ulong)row.Number, location, covers, row.EarliestReadingMs ?? committedMs, committedMs, row.Kind);
        log.LogInformation("Diagnosis {Number} for patient {Patient} committed at {Location}: {Count} IoT transaction(s), {Latency} ms after the earliest reading", row.Number, row.Patient, location, covers.Count, (long)args.Latency.TotalMilliseconds);
        announce(args);
    }

    /// <summary>The ledger refused the diagnosis for good.</summary>
    public void Refused(DiagnosisRow row, SubmitOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(outcome);
        var reason = outcome.Reason;
        var (target, level) = reason switch
        {
            RejectReason.DoctorNotAuthorised => (IotState.NotAuthorised, LogLevel.Warning),
            RejectReason.InsufficientCredit => (IotState.AwaitingPayment, LogLevel.Information),
            _ => (IotState.Failed, LogLevel.Error),
        };
        var (changed, delta) = db.Diagnoses.MarkRefused(row.Number, reason.ToString(), target, NowMs());
        counters.Apply(delta);
        if (!changed)
        {
            return;
        }

        if (reason == RejectReason.InsufficientCredit)
        {
            // The ledger's word stands over the tracked credit: wait for a payment, and learn what consumed the credit.
            credit.Hold(row.Patient);
            work.Run(ReconcileAsync);
        }

        counters.Refused(reason);
        log.Log(level, "The ledger refused diagnosis {Number} for patient {Patient}: {Reason}: {Message}", row.Number, row.Patient, reason, outcome.Message);
        if (reason == RejectReason.DoctorNotAuthorised)
        {
            // Stop trying: nothing more is submitted for this patient until a key transaction names this doctor again.
            counters.Apply(db.Patients.SetRefused(row.Patient, NowMs()));
        }
    }

    private async Task ReconcileAsync()
    {
        try
        {
            await reconciler.ReconcileAsync(work.Stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (Transience.IsTransient(e))
        {
            counters.Transient();
            log.LogWarning("Reading this doctor's diagnoses on Docchain failed: {Message}", e.Message);
        }
    }

    private long NowMs() => work.Time.GetUtcNow().ToUnixTimeMilliseconds();
}
