using System.Collections.Concurrent;
using HealthBlock.Doctor;
using HealthBlock.Gateway.Live;

namespace HealthBlock.Devnet;

/// <summary>
/// Where an alarm's latency goes in a devnet run, stage by stage: reading → end of the frame that revealed it (the
/// wearable's frame and the detector's evidence hold) → live sub-batch sealed at the gateway → published → received by
/// the doctor node → flagged by the detector → alarm document stored → alarm transaction submitted → committed. The
/// gateway's seal and publish times are joined to the doctor's alarm by the sub-batch hash; the commit by doctor,
/// patient and reading time.
/// </summary>
internal sealed class AlarmStages
{
    private readonly ConcurrentDictionary<string, (long SealedMs, long PublishedMs)> _sealed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LiveAlarmEventArgs> _submitted = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<(LiveAlarmEventArgs Alarm, long CommittedMs)> _committed = [];

    /// <summary>Records the seal and publish time of every sub-batch <paramref name="sealer"/> seals.</summary>
    public void Watch(LiveSealer sealer) => sealer.SubBatchSealed += b =>
        _sealed[Convert.ToHexStringLower(b.Hash)] = (b.SealedMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>Records the alarms <paramref name="doctor"/> submits and commits.</summary>
    public void Watch(DoctorNode doctor)
    {
        var id = doctor.Id.ToString();
        doctor.LiveAlarmSubmitted += (_, a) => _submitted[Key(id, a.Patient, a.ReadingMs)] = a;
        doctor.DiagnosisCommitted += (_, e) =>
        {
            if (e.Kind == DiagnosisKinds.Alarm && _submitted.TryGetValue(Key(id, e.Patient, e.EarliestReadingMs), out var a))
            {
                _committed.Add((a, e.CommittedMs));
            }
        };
    }

    /// <summary>Percentiles of each stage, in path order (committed alarms only, so every stage is known).</summary>
    public Dictionary<string, LatencyReport> Report()
    {
        var stages = new (string Name, List<double> Values)[]
        {
            ("reading_to_frame_end", []), ("frame_end_to_sealed", []), ("sealed_to_published", []), ("published_to_received", []),
            ("received_to_flagged", []), ("flagged_to_stored", []), ("stored_to_submitted", []), ("submitted_to_committed", []),
        };
        foreach (var (a, committedMs) in _committed)
        {
            if (!_sealed.TryGetValue(a.SubBatchHash, out var g))
            {
                continue;
            }

            long[] times = [a.ReadingMs, a.FrameEndMs, g.SealedMs, g.PublishedMs, a.ReceivedMs, a.SeenMs, a.StoredMs, a.SubmittedMs, committedMs];
            for (var i = 0; i < stages.Length; i++)
            {
                stages[i].Values.Add(times[i + 1] - times[i]);
            }
        }

        return stages.ToDictionary(s => s.Name, s => LatencyReport.Of(s.Values));
    }

    private static string Key(string doctor, string patient, long readingMs) => $"{doctor}|{patient}|{readingMs}";
}
