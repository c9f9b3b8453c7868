using HealthBlock.Crypto;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Doctor.Submitting;

/// <summary>
/// The node's way to the ledger. Signing, persisting and the first submission are serialised (nonce order,
/// <see cref="DiagnosisJournal"/>); the commit is then awaited in the background, so the next diagnosis does not wait
/// for the previous commit. A submission the ledger refuses for now (<see cref="SubmitOutcome.IsTransient"/>) or that
/// fails transiently is retried with backoff; a wait for the commit that times out or loses the leader submits the same
/// transaction again (a duplicate is a success); a refusal for good is recorded (<see cref="DiagnosisOutcomes"/>).
/// Diagnoses persisted before a stop are submitted again at start, before anything new is signed.
/// </summary>
internal sealed class DiagnosisSubmitter(
    DiagnosisJournal journal,
    ILedgerWriter writer,
    ILedgerReader reader,
    DiagnosisOutcomes outcomes,
    NodeCounters counters,
    BackgroundWork work,
    Func<Backoff> newBackoff,
    TimeSpan commitTimeout,
    ILogger log) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>Signs, persists and submits a new diagnosis, then awaits its commit in the background.</summary>
    public async Task SubmitNewAsync(ulong number, IdentityId patient, uint epoch, string kind, DiagnosisPayload payload, IReadOnlyList<string> covers, long earliestReadingMs, CancellationToken stop)
    {
        RecordedDiagnosis? recorded;
        SubmitOutcome? outcome = null;
        Exception? failure = null;
        await _lock.WaitAsync(stop).ConfigureAwait(false);
        try
        {
            // Persisted before the ledger can see it: after a crash the same transaction is submitted again.
            recorded = journal.SignAndRecord(number, patient, epoch, kind, payload, covers, earliestReadingMs);
            if (recorded is null)
            {
                log.LogInformation("Diagnosis {Number} for patient {Patient} dropped: its IoT transactions are no longer pending (revoked meanwhile)", number, patient);
                return;
            }

            counters.Apply(recorded.Delta);
            (outcome, failure) = await TrySubmitLockedAsync(recorded.Row, recorded.Transaction, stop).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }

        AfterFirstSubmit(recorded.Row, outcome?.Transaction ?? recorded.Transaction, outcome, failure);
    }

    /// <summary>
    /// A diagnosis persisted before a stop: recorded if it committed meanwhile, else submitted again now (the same
    /// transaction unless its nonce was taken) and its commit awaited in the background.
    /// </summary>
    public async Task ResumeAsync(DiagnosisRow row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        var tx = Transaction.Decode(row.Transaction);
        SubmitOutcome? outcome = null;
        Exception? failure = null;
        try
        {
            if (await reader.GetTransactionAsync(tx.IdBytes, cancellationToken).ConfigureAwait(false) is { } committed)
            {
                outcomes.Committed(row, tx, committed.Location);
                return;
            }
        }
        catch (Exception e) when (Transience.IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            failure = e;
        }

        if (failure is null)
        {
            log.LogInformation("Resubmitting diagnosis {Number} ({Tx}) signed before the last stop", row.Number, tx.IdHex);
            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                (outcome, failure) = await TrySubmitLockedAsync(row, tx, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _lock.Release();
            }
        }

        AfterFirstSubmit(row, outcome?.Transaction ?? tx, outcome, failure);
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    private async Task<(SubmitOutcome? Outcome, Exception? Failure)> TrySubmitLockedAsync(DiagnosisRow row, Transaction tx, CancellationToken stop)
    {
        try
        {
            return (await journal.SubmitAsync(row, tx, stop).ConfigureAwait(false), null);
        }
        catch (Exception e) when (Transience.IsTransient(e) && !stop.IsCancellationRequested)
        {
            return (null, e);
        }
    }

    /// <summary>After a first submission: wait for the commit in the background, retry later, or record the refusal.</summary>
    private void AfterFirstSubmit(DiagnosisRow row, Transaction tx, SubmitOutcome? outcome, Exception? failure)
    {
        if (failure is not null || outcome!.IsTransient)
        {
            counters.Transient();
            log.LogWarning("Submitting diagnosis {Number} failed ({Reason}); retrying", row.Number, failure?.Message ?? outcome!.Reason.ToString());
            work.Track(DriveAsync(row, tx, needsSubmit: true, delayFirst: true));
        }
        else if (outcome.Accepted)
        {
            work.Track(DriveAsync(row, tx, needsSubmit: false, delayFirst: false));
        }
        else
        {
            outcomes.Refused(row, outcome);
        }
    }

    /// <summary>Brings a signed diagnosis to commit: submits it when needed, waits, submits again after a timeout or a lost leadership.</summary>
    private async Task DriveAsync(DiagnosisRow row, Transaction tx, bool needsSubmit, bool delayFirst)
    {
        var stop = work.Stopping;
        var backoff = newBackoff();
        var wait = delayFirst;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (wait)
                {
                    if (!await work.DelayAsync(backoff.Current).ConfigureAwait(false))
                    {
                        return;
                    }

                    backoff.Grow();
                    wait = false;
                }

                if (needsSubmit)
                {
                    SubmitOutcome outcome;
                    await _lock.WaitAsync(stop).ConfigureAwait(false);
                    try
                    {
                        outcome = await journal.SubmitAsync(row, tx, stop).ConfigureAwait(false);
                    }
                    finally
                    {
                        _lock.Release();
                    }

                    tx = outcome.Transaction;
                    if (outcome.IsTransient)
                    {
                        counters.Transient();
                        wait = true;
                        continue;
                    }

                    if (!outcome.Accepted)
                    {
                        outcomes.Refused(row, outcome);
                        return;
                    }

                    needsSubmit = false;
                }

                var location = await writer.WaitForCommitAsync(tx.IdBytes, commitTimeout, stop).ConfigureAwait(false);
                outcomes.Committed(row, tx, location);
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (LedgerRejectedException e) when (e.Reason.IsTransient())
            {
                counters.Transient();
                log.LogInformation("Diagnosis {Number} not committed yet ({Reason}); checking and submitting again", row.Number, e.Reason);
                needsSubmit = true;
            }
            catch (Exception e) when (Transience.IsTransient(e))
            {
                counters.Transient();
                log.LogWarning("Diagnosis {Number}: {Type}: {Message}; retrying", row.Number, e.GetType().Name, e.Message);
                needsSubmit = true;
                wait = true;
            }
        }
    }
}
