using System.Collections.Concurrent;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Diagnosing;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;
using HealthBlock.Doctor.Submitting;
using HealthBlock.Storage;

namespace HealthBlock.Doctor.Live;

/// <summary>
/// The chain path of a live patient: each committed period bundle is opened once and its sub-batches go to the
/// <see cref="LiveMonitor"/> (which takes only those the live topic did not bring); the IoT transactions then wait until
/// a <see cref="LiveAlarmOptions.SummaryPeriod"/> has passed on this node's clock since its last summary of the patient
/// (or since it first saw the patient's IoT transactions), and one <see cref="DiagnosisKinds.Summary"/>
/// diagnosis covers them all with the period's findings — one per patient per doctor per period, never one per batch.
/// </summary>
internal sealed class PeriodSummaries(LiveMonitor monitor, DiagnosisComposer composer, DiagnosisSubmitter submitter, IContentStore store, LiveAlarmOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, byte> _caughtUp = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IdentityId, long> _periodStart = new();

    /// <summary>True when <paramref name="txId"/>'s bundle went to the monitor already.</summary>
    public bool IsCaughtUp(string txId) => _caughtUp.ContainsKey(txId);

    /// <summary>
    /// Feeds the newly opened bundles to the monitor; when the period is over, writes the summary covering
    /// <paramref name="pending"/> (the IoT transactions still pending, all of one epoch); false while it is not over.
    /// </summary>
    public async Task<bool> StepAsync(IdentityId patient, uint epoch, EpochKeys keys, IReadOnlyList<IotItem> pending, IReadOnlyList<OpenedBatch> opened, CancellationToken stop)
    {
        foreach (var o in opened.Where(o => o.Live is not null))
        {
            monitor.CatchUp(patient, epoch, keys, o.Live!);
            _caughtUp[o.Item.TxId] = 0;
        }

        if (pending.Count == 0)
        {
            return true;
        }

        // The period runs on this node's clock from its last summary of the patient (or from when it first saw one).
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now - _periodStart.GetOrAdd(patient, now) < options.SummaryPeriod.TotalMilliseconds)
        {
            return false;
        }

        _periodStart[patient] = now;
        var windowStart = pending.Min(i => i.WindowStartMs);
        var windowEnd = pending.Max(i => i.WindowEndMs);
        var covers = pending.Select(i => i.TxId).Order(StringComparer.Ordinal).ToList();
        var (findings, counts) = monitor.TakePeriod(patient, windowStart);
        var composed = composer.ComposeLive(DiagnosisKinds.Summary, patient, epoch, findings, covers, null, windowStart, windowEnd, windowStart, counts, keys.DiagnosisKey);
        var cid = await store.PutCheckedAsync(composed.SealedDocument, stop).ConfigureAwait(false);
        await submitter.SubmitNewAsync(composed.Number, patient, epoch, DiagnosisKinds.Summary, composed.ToPayload(patient, epoch, cid), covers, windowStart, stop).ConfigureAwait(false);
        foreach (var id in covers)
        {
            _caughtUp.TryRemove(id, out _);
        }

        return true;
    }
}
