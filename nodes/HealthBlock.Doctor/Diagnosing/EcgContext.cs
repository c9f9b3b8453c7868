using System.Collections.Concurrent;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Doctor.Diagnosing;

/// <summary>
/// Each patient's most recent ECG, in memory only (<see cref="DoctorNodeOptions.EcgContext"/> long), joined to the ECG of
/// a new batch so that short batches — the price of low latency — still give enough ECG for a rhythm analysis. Only ECG
/// is taken from the context: readings are reported once, with their own batch. Safe for concurrent use.
/// </summary>
internal sealed class EcgContext(TimeSpan length)
{
    private readonly ConcurrentDictionary<IdentityId, List<DeviceFrame>> _frames = new();

    /// <summary>
    /// The new frames plus the patient's kept ECG frames from before the first new ECG frame; keeps the newest
    /// <c>length</c> of ECG for the next batch. With a zero length, the new frames alone.
    /// </summary>
    public List<DeviceFrame> With(IdentityId patient, IReadOnlyList<DeviceFrame> fresh)
    {
        ArgumentNullException.ThrowIfNull(fresh);
        if (length <= TimeSpan.Zero)
        {
            return [.. fresh];
        }

        var context = _frames.GetOrAdd(patient, _ => []);
        lock (context)
        {
            var firstNew = fresh.Where(f => f.Kind == SensorKind.Ecg).Select(f => f.TimestampMs).DefaultIfEmpty(long.MaxValue).Min();
            var combined = context.Where(f => f.TimestampMs < firstNew).Concat(fresh).ToList();
            var newest = combined.Where(f => f.Kind == SensorKind.Ecg).Select(f => f.TimestampMs + f.DurationMs).DefaultIfEmpty(0).Max();
            var keepFrom = newest - (long)length.TotalMilliseconds;
            context.Clear();
            context.AddRange(combined.Where(f => f.Kind == SensorKind.Ecg && f.TimestampMs >= keepFrom));
            return combined;
        }
    }
}
