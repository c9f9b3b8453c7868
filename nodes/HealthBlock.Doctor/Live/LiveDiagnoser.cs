using HealthBlock.Crypto;
using HealthBlock.Doctor.Credit;
using HealthBlock.Doctor.Diagnosing;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Submitting;
using HealthBlock.Ledger;
using HealthBlock.Storage;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Doctor.Live;

/// <summary>
/// Writes the diagnoses of the live path at once: an <see cref="DiagnosisKinds.Alarm"/> for a critical condition that
/// starts, a <see cref="DiagnosisKinds.FindingChange"/> for any other start or end. Each cites the sealed live
/// sub-batches it used and covers no IoT transaction (the period's IoT transaction commits the cited hashes later; the
/// audit checks that it does within two periods). A patient whose tracked credit does not cover the fee gets none.
/// </summary>
internal sealed class LiveDiagnoser(DiagnosisComposer composer, DiagnosisSubmitter submitter, PatientCredit credit, IContentStore store, BackgroundWork work, ILogger log)
{
    /// <summary>Raised once an alarm's diagnosis is submitted, with its stage times.</summary>
    public event Action<LiveAlarmEventArgs>? AlarmSubmitted;

    /// <summary>
    /// Composes, stores, signs and submits the diagnosis of <paramref name="transition"/> in the background;
    /// <paramref name="alarm"/> (an alarm's stage times so far) is completed and raised once it is submitted.
    /// </summary>
    public void Write(IdentityId patient, uint epoch, byte[] diagnosisKey, LiveTransition transition, LiveAlarmEventArgs? alarm = null) =>
        work.Track(Task.Run(() => WriteAsync(patient, epoch, diagnosisKey, transition, alarm), CancellationToken.None));

    private async Task WriteAsync(IdentityId patient, uint epoch, byte[] diagnosisKey, LiveTransition t, LiveAlarmEventArgs? alarm)
    {
        try
        {
            if (!credit.Of(patient).Covers(credit.Fee))
            {
                log.LogWarning("Patient {Patient}: {Condition} seen live, but the paid credit does not cover a diagnosis", patient, t.Condition);
                return;
            }

            var kind = t.Started && t.Critical ? DiagnosisKinds.Alarm : DiagnosisKinds.FindingChange;
            var composed = composer.ComposeLive(kind, patient, epoch, [t.Finding], [], t.Citations, Math.Min(t.EvidenceStartMs, t.ReadingMs), t.ReadingMs, t.ReadingMs, [0, 0, 0, 0], diagnosisKey);
            var cid = await store.PutCheckedAsync(composed.SealedDocument, work.Stopping).ConfigureAwait(false);
            var storedMs = NowMs();
            await submitter.SubmitNewAsync(composed.Number, patient, epoch, kind, composed.ToPayload(patient, epoch, cid), [], t.ReadingMs, work.Stopping).ConfigureAwait(false);
            if (alarm is not null)
            {
                AlarmSubmitted?.Invoke(alarm with { StoredMs = storedMs, SubmittedMs = NowMs() });
            }
        }
        catch (OperationCanceledException) when (work.IsStopping)
        {
        }
        catch (Exception e) when (e is StoreException or HttpRequestException or IOException or LedgerRejectedException or ArgumentException)
        {
            log.LogError("Patient {Patient}: the live diagnosis of {Condition} failed: {Message}", patient, t.Condition, e.Message);
        }
    }

    private long NowMs() => work.Time.GetUtcNow().ToUnixTimeMilliseconds();
}
