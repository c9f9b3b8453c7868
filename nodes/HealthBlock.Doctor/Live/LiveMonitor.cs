using System.Collections.Concurrent;
using HealthBlock.Analysis;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Doctor.Live;

/// <summary>
/// The doctor node's live analysis: opens each sealed sub-batch of a served patient with the IoT key of the patient's
/// current epoch (cached, reloaded every <see cref="KeyRefresh"/> or when a sub-batch does not open), feeds its frames to
/// the patient's <see cref="PatientMonitor"/> and hands each condition that starts or ends to <see cref="LiveDiagnoser"/>.
/// Sub-batches come from the live topic (<see cref="LiveSubscriber"/>) and from the committed period bundles (catch-up
/// after a gap: the monitor takes each sequence number once).
/// </summary>
internal sealed class LiveMonitor(DoctorDatabase db, PatientKeyring keys, LiveDiagnoser diagnoser, LiveAlarmOptions options, TimeProvider time, ILogger log)
{
    /// <summary>How long cached keys are used before the database is read again.</summary>
    public static readonly TimeSpan KeyRefresh = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<IdentityId, PatientMonitor> _patients = new();
    private readonly ConcurrentDictionary<IdentityId, (uint Epoch, EpochKeys Keys, long LoadedMs)> _keys = new();
    private long _received;
    private long _unopened;

    /// <summary>Raised when a critical condition starts (before its alarm is written).</summary>
    public event Action<LiveAlarmEventArgs>? Alarm;

    /// <summary>Sub-batches taken (live and catch-up).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Live messages that did not open (wrong key, revoked, tampered) or did not decode.</summary>
    public long Unopened => Interlocked.Read(ref _unopened);

    /// <summary>Takes a sealed sub-batch received on the live topic of <paramref name="patient"/>.</summary>
    public void ReceiveLive(IdentityId patient, byte[] sealedBatch)
    {
        var receivedMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (KeysOf(patient, reload: attempt > 0) is not { } k)
            {
                return;
            }

            try
            {
                Take(patient, k.Epoch, k.Keys, LiveBatch.Open(sealedBatch, k.Keys.IotKey, patient, k.Epoch), LiveBatch.Hash(sealedBatch), receivedMs);
                return;
            }
            catch (Exception e) when (e is CryptoException or ProtocolException)
            {
                if (attempt > 0)
                {
                    Interlocked.Increment(ref _unopened);
                    log.LogDebug("A live sub-batch of patient {Patient} does not open: {Message}", patient, e.Message);
                }
            }
        }
    }

    /// <summary>Takes the sub-batches of a committed period bundle the live path missed (already opened by the caller).</summary>
    public void CatchUp(IdentityId patient, uint epoch, EpochKeys epochKeys, IReadOnlyList<(LiveBatch Batch, byte[] Hash)> batches)
    {
        foreach (var (batch, hash) in batches)
        {
            Take(patient, epoch, epochKeys, batch, hash, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }

    /// <summary>The patient's findings and frame counts since the last summary (windows from <paramref name="windowStartMs"/>).</summary>
    public (List<Finding> Findings, int[] Counts) TakePeriod(IdentityId patient, long windowStartMs)
    {
        var monitor = _patients.GetOrAdd(patient, _ => new PatientMonitor(options));
        lock (monitor)
        {
            return monitor.TakePeriod(windowStartMs);
        }
    }

    private void Take(IdentityId patient, uint epoch, EpochKeys epochKeys, LiveBatch batch, byte[] hash, long receivedMs)
    {
        var frames = new List<DeviceFrame>(batch.Frames.Count);
        foreach (var bytes in batch.Frames)
        {
            try
            {
                frames.Add(DeviceFrame.Decode(bytes));
            }
            catch (ProtocolException e)
            {
                log.LogWarning("A frame of live sub-batch {Sequence} of patient {Patient} is malformed and left out: {Message}", batch.Sequence, patient, e.Message);
            }
        }

        var monitor = _patients.GetOrAdd(patient, _ => new PatientMonitor(options));
        List<LiveTransition>? transitions;
        lock (monitor)
        {
            transitions = monitor.Accept(epoch, batch.Sequence, hash, frames);
        }

        if (transitions is null)
        {
            return;
        }

        Interlocked.Increment(ref _received);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var frameEndMs = frames.Count == 0 ? 0 : frames.Max(f => f.TimestampMs + f.DurationMs);
        foreach (var t in transitions)
        {
            LiveAlarmEventArgs? alarm = null;
            if (t.Started && t.Critical)
            {
                alarm = new LiveAlarmEventArgs(patient.ToString(), t.Condition, t.ReadingMs, now) { FrameEndMs = frameEndMs, ReceivedMs = receivedMs, SubBatchHash = Convert.ToHexStringLower(hash) };
                Alarm?.Invoke(alarm);
            }

            diagnoser.Write(patient, epoch, epochKeys.DiagnosisKey, t, alarm);
        }
    }

    /// <summary>Opens the patient's sealed keys; a row that does not open is logged (the lane gives its batches up and alerts) and counted as unopened.</summary>
    private EpochKeys? OpenOrNull(IdentityId patient, uint epoch)
    {
        try
        {
            return keys.Open(patient, epoch);
        }
        catch (CryptoException e)
        {
            Interlocked.Increment(ref _unopened);
            log.LogError("Live sub-batches of patient {Patient} cannot be opened: {Message}", patient, e.Message);
            return null;
        }
    }

    private (uint Epoch, EpochKeys Keys)? KeysOf(IdentityId patient, bool reload)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!reload && _keys.TryGetValue(patient, out var cached) && now - cached.LoadedMs < KeyRefresh.TotalMilliseconds)
        {
            return (cached.Epoch, cached.Keys);
        }

        if (db.Patients.Get(patient) is not { Served: true } row || OpenOrNull(patient, row.Epoch) is not { } k)
        {
            _keys.TryRemove(patient, out _);
            return null;
        }

        _keys[patient] = (row.Epoch, k, now);
        return (row.Epoch, k);
    }
}
