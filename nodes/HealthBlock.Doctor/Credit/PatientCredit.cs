using HealthBlock.Crypto;
using HealthBlock.Doctor.Following;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Doctor.Credit;

/// <summary>
/// Whether a patient's credit pays for one more diagnosis, tracked from the chains the node follows instead of asked of
/// the ledger per diagnosis (<see cref="CreditTable"/>): payments to this doctor on Userchain minus the genesis
/// <see cref="Genesis.DiagnosisFee"/> for each of its committed and in-flight diagnoses about the patient. The ledger's
/// refusal stays the final word: after an <see cref="RejectReason.InsufficientCredit"/> refusal the patient is
/// <see cref="Hold">held</see> until its next payment. Patients awaiting payment are released when a payment appears on
/// Userchain and, every <see cref="DoctorNodeOptions.AwaitingPaymentRecheck"/>, when their tracked credit covers the fee.
/// </summary>
internal sealed class PatientCredit(IdentityId doctor, DoctorDatabase db, NodeCounters counters, BackgroundWork work, ILogger log)
{
    /// <summary>The diagnosis fee of the ledger's genesis (set at start).</summary>
    public ulong Fee { get; set; }

    /// <summary>The patient's tracked credit.</summary>
    public CreditRow Of(IdentityId patient) => db.Credit.Get(patient);

    /// <summary>After the ledger refused a diagnosis for credit: no diagnosis is tried for the patient until it pays again.</summary>
    public void Hold(IdentityId patient) => db.Credit.Hold(patient);

    /// <summary>
    /// A data folder from before credit was tracked has its cursor past earlier payments: records them once from the
    /// ledger's history of this doctor (payments on Userchain, diagnoses on Docchain from the start).
    /// </summary>
    public async Task TrackFromTheStartAsync(ILedgerReader ledger, DocchainReconciler reconciler, CancellationToken cancellationToken)
    {
        if (db.Counters.GetMeta(CreditTable.TrackedMeta) is not null)
        {
            return;
        }

        if (db.Userchain.Cursor > 0)
        {
            log.LogInformation("Recording the payments to doctor {Doctor} and its diagnoses before this data folder tracked credit", doctor);
            await PartyHistory.ReadAsync(
                ledger,
                doctor,
                ChainId.Userchain,
                0,
                (page, _) => db.Credit.RecordPayments(
                    from t in page
                    let payment = t.Transaction.Body.Payload as PaymentPayload
                    where payment is not null && payment.To == doctor
                    select (t.Transaction.IdHex, t.Transaction.Body.Signer, payment.Amount)),
                cancellationToken).ConfigureAwait(false);
            await reconciler.ReconcileAsync(cancellationToken, from: 0).ConfigureAwait(false);
        }

        db.Counters.SetMetaIfAbsent(CreditTable.TrackedMeta, [1]);
    }

    /// <summary>Every <paramref name="interval"/>, releases the patients awaiting payment whose credit now covers the fee.</summary>
    public async Task RecheckLoopAsync(TimeSpan interval, Action<IdentityId> schedule)
    {
        using var timer = new PeriodicTimer(interval, work.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(work.Stopping).ConfigureAwait(false))
            {
                foreach (var patient in db.Iot.PatientsWith(IotState.AwaitingPayment))
                {
                    try
                    {
                        if (Of(patient).Covers(Fee))
                        {
                            var (moved, delta) = db.Iot.ReleaseAwaiting(patient, work.Time.GetUtcNow().ToUnixTimeMilliseconds());
                            counters.Apply(delta);
                            if (moved > 0)
                            {
                                schedule(patient);
                            }
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        counters.Transient();
                        log.LogWarning("Checking the credit of patient {Patient} failed: {Message}", patient, e.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
