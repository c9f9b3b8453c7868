using System.Collections.Concurrent;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Credit;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;
using HealthBlock.Doctor.Submitting;
using HealthBlock.Protocol.Content;
using HealthBlock.Storage;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Doctor.Diagnosing;

/// <summary>
/// One step of a patient's lane: takes the patient's oldest pending IoT transactions of one epoch (at most
/// <see cref="DoctorNodeOptions.MaxCoveredPerDiagnosis"/>) and diagnoses them. Not served (revoked, refused, no key
/// for the epoch) → not authorised; credit short (<see cref="PatientCredit"/>) → awaiting payment; else the batches are
/// opened (<see cref="BatchOpener"/>; those given up are marked failed and alert once), the diagnosis composed and
/// sealed (<see cref="DiagnosisComposer"/>), stored and pinned, and handed to <see cref="DiagnosisSubmitter"/>. When
/// the document would not fit one block the next step covers half as many. With the live path
/// (<see cref="Live.PeriodSummaries"/>), period bundles are opened once, fed to the live monitor and held until the summary
/// period is over; one summary then covers them.
/// </summary>
internal sealed class PatientDiagnoser(
    DoctorDatabase db,
    PatientKeyring keys,
    PatientCredit credit,
    BatchOpener opener,
    DiagnosisComposer composer,
    DiagnosisSubmitter submitter,
    IContentStore store,
    NodeCounters counters,
    AlertHub alerts,
    DoctorAlerts alertBuilder,
    BackgroundWork work,
    DoctorNodeOptions options,
    ILogger log,
    Live.PeriodSummaries? summaries = null)
{
    private readonly ConcurrentDictionary<IdentityId, int> _coverLimits = new();
    private readonly ConcurrentDictionary<(IdentityId Patient, uint Epoch), byte> _sealedKeyAlerts = new();

    private int MaxCovered => Math.Max(1, options.MaxCoveredPerDiagnosis);

    /// <summary>Diagnoses the patient's next pending IoT transactions; false when none is pending.</summary>
    public async Task<bool> StepAsync(IdentityId patient, CancellationToken stop)
    {
        var items = db.Iot.TakePending(patient, _coverLimits.GetValueOrDefault(patient, MaxCovered));
        if (items.Count == 0)
        {
            _coverLimits.TryRemove(patient, out _);
            return false;
        }

        var outcome = await DiagnoseAsync(patient, items, stop).ConfigureAwait(false);
        if (outcome == Step.TooLarge)
        {
            // The document would not fit one block: cover fewer IoT transactions.
            _coverLimits[patient] = Math.Max(1, items.Count / 2);
        }
        else
        {
            _coverLimits.TryRemove(patient, out _);
        }

        return outcome != Step.Held;
    }

    private enum Step
    {
        Done,
        TooLarge,
        Held,
    }

    /// <summary>Diagnoses one patient's IoT transactions (one epoch, ledger order).</summary>
    private async Task<Step> DiagnoseAsync(IdentityId patient, List<IotItem> items, CancellationToken stop)
    {
        var ids = items.Select(i => i.TxId).ToList();
        var epoch = items[0].Epoch;
        var state = db.Patients.Get(patient);
        EpochKeys? epochKeys;
        try
        {
            epochKeys = keys.Open(patient, epoch);
        }
        catch (CryptoException e)
        {
            GiveUpSealedKey(patient, epoch, ids, e.Message);
            return Step.Done;
        }

        if (state is not { Served: true } || epochKeys is null)
        {
            var reason = epochKeys is null ? $"no key for epoch {epoch}" : "revoked";
            Move(ids, IotState.NotAuthorised, reason);
            return Step.Done;
        }

        var balance = credit.Of(patient);
        if (!balance.Covers(credit.Fee))
        {
            var available = balance.Available(credit.Fee);
            Move(ids, IotState.AwaitingPayment, balance.Held
                ? $"the ledger refused a diagnosis for credit; waiting for a payment (tracked credit {available}, fee {credit.Fee})"
                : $"paid credit {available} does not cover the fee {credit.Fee}");
            log.LogInformation("Patient {Patient}: {Count} IoT transaction(s) await payment (credit {Credit}, fee {Fee})", patient, ids.Count, available, credit.Fee);
            return Step.Done;
        }

        var fresh = summaries is null ? items : [.. items.Where(i => !summaries.IsCaughtUp(i.TxId))];
        var opened = await Task.WhenAll(fresh.Select(i => opener.OpenAsync(i, epochKeys.IotKey, stop))).ConfigureAwait(false);
        foreach (var f in opened.Where(o => !o.Opened))
        {
            log.LogError("IoT transaction {Tx} of patient {Patient} is given up: {Reason}", f.Item.TxId, patient, f.Error);
            var delta = Move([f.Item.TxId], IotState.Failed, f.Error);

            // Only the call that gives the transaction up alerts: a retry of the batch after a transient failure,
            // or a transaction no longer pending, raises nothing more.
            if (f.Alert is { } alert && delta[IotState.Failed] > 0)
            {
                alerts.Raise(alert);
            }
        }

        var good = opened.Where(o => o.Opened).ToList();
        if (summaries is not null && (good.Count == 0 ? fresh.Count < items.Count : good.All(o => o.Live is not null)))
        {
            var failed = opened.Where(o => !o.Opened).Select(o => o.Item.TxId).ToHashSet(StringComparer.Ordinal);
            return await summaries.StepAsync(patient, epoch, epochKeys, [.. items.Where(i => !failed.Contains(i.TxId))], good, stop).ConfigureAwait(false) ? Step.Done : Step.Held;
        }

        if (good.Count == 0)
        {
            return Step.Done;
        }

        ComposedDiagnosis composed;
        try
        {
            composed = composer.Compose(patient, epoch, good, epochKeys.DiagnosisKey);
        }
        catch (ArgumentException) when (good.Count > 1)
        {
            return Step.TooLarge;
        }
        catch (ArgumentException e)
        {
            Move([good[0].Item.TxId], IotState.Failed, e.Message);
            log.LogError("IoT transaction {Tx} of patient {Patient} is given up: {Reason}", good[0].Item.TxId, patient, e.Message);
            return Step.Done;
        }

        var cid = await PutAsync(composed.SealedDocument, stop).ConfigureAwait(false);
        await submitter.SubmitNewAsync(composed.Number, patient, epoch, DiagnosisKinds.AutomatedScreening, composed.ToPayload(patient, epoch, cid), composed.Covers, composed.EarliestReadingMs, stop).ConfigureAwait(false);
        return Step.Done;
    }

    /// <summary>
    /// The patient's sealed keys of the epoch do not open (the row was altered at rest or moved): its IoT transactions
    /// cannot be read, so they are given up (counted as failed), logged, and alerted once per patient and epoch.
    /// </summary>
    private void GiveUpSealedKey(IdentityId patient, uint epoch, IReadOnlyList<string> ids, string error)
    {
        log.LogError("The sealed keys of patient {Patient}, epoch {Epoch}, do not open; {Count} IoT transaction(s) are given up: {Error}", patient, epoch, ids.Count, error);
        var delta = Move(ids, IotState.Failed, $"the sealed keys of epoch {epoch} do not open: {error}");
        if (delta[IotState.Failed] > 0 && _sealedKeyAlerts.TryAdd((patient, epoch), 0))
        {
            alerts.Raise(alertBuilder.SealedKeyDoesNotOpen(patient, epoch, ids[0], error));
        }
    }

    /// <summary>Moves pending IoT transactions to <paramref name="to"/>.</summary>
    private StateDelta Move(IReadOnlyList<string> txIds, IotState to, string? reason)
    {
        var delta = db.Iot.SetState(txIds, to, reason, work.Time.GetUtcNow().ToUnixTimeMilliseconds(), IotState.Pending);
        counters.Apply(delta);
        return delta;
    }

    private async Task<Cid> PutAsync(byte[] block, CancellationToken stop)
    {
        var cid = await store.PutCheckedAsync(block, stop).ConfigureAwait(false);
        if (options.PinDiagnoses)
        {
            // Off the critical path: a pin only protects the block from garbage collection.
            work.Track(PinAsync(cid));
        }

        return cid;
    }

    private async Task PinAsync(Cid cid)
    {
        try
        {
            await store.PinAsync(cid, work.Stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreException or HttpRequestException or IOException)
        {
            counters.Transient();
            log.LogWarning("Pinning diagnosis block {Cid} failed: {Message}", cid, e.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
