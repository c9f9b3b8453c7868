namespace HealthBlock.Analysis;

/// <summary>
/// One <see cref="EcgStream"/> per device, fed with timestamped frames as a node receives them, so that each sample is
/// analysed once instead of re-analysing a context for every batch. A device's stream starts at its first frame (sample
/// 0 = that frame's timestamp, <see cref="OriginMs"/>); a frame's first sample index is its timestamp's offset from the
/// origin at the stream's rate, snapped to the expected next sample when within the timestamp jitter. A later frame
/// leaves a gap (reported unreadable, the detector resynchronises); a repeated one is ignored; a change of rate completes
/// the old stream and starts a new one. Finding windows are seconds from the origin: add <see cref="OriginMs"/> for
/// wall-clock time.
/// </summary>
public sealed class EcgDeviceStreams
{
    private readonly EcgAnalysisOptions? _options;
    private readonly double _jitterMs;
    private readonly Dictionary<string, (EcgStream Stream, long OriginMs)> _streams = new(StringComparer.Ordinal);

    /// <summary>Creates the set.</summary>
    /// <param name="options">Thresholds for every stream; null for the defaults.</param>
    /// <param name="jitterMs">Timestamp jitter still taken as contiguous, milliseconds (default 20).</param>
    public EcgDeviceStreams(EcgAnalysisOptions? options = null, double jitterMs = 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(jitterMs);
        _options = options;
        _jitterMs = jitterMs;
    }

    /// <summary>Devices with an open stream.</summary>
    public IReadOnlyCollection<string> Devices => _streams.Keys;

    /// <summary>Timestamp of sample 0 of a device's stream, ms since the Unix epoch.</summary>
    /// <param name="device">Device id.</param>
    /// <exception cref="KeyNotFoundException">No open stream for that device.</exception>
    public long OriginMs(string device) => _streams[device].OriginMs;

    /// <summary>Pushes one frame of a device.</summary>
    /// <param name="device">Device id.</param>
    /// <param name="timestampMs">Time of the frame's first sample, ms since the Unix epoch.</param>
    /// <param name="samplingFrequency">Samples per second of the frame.</param>
    /// <param name="microvolts">The samples, µV.</param>
    /// <param name="leadOff">True when the device flagged the frame lead-off (or sensor fault).</param>
    /// <returns>What became final: for a change of rate, the old stream's completion followed by the new stream's first update.</returns>
    public IReadOnlyList<EcgStreamUpdate> Push(string device, long timestampMs, double samplingFrequency, ReadOnlySpan<int> microvolts, bool leadOff = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        var updates = new List<EcgStreamUpdate>();
        if (_streams.TryGetValue(device, out var open) && open.Stream.SamplingFrequency != samplingFrequency)
        {
            updates.Add(Complete(device));
        }

        if (!_streams.TryGetValue(device, out open))
        {
            open = (new EcgStream(samplingFrequency, _options), timestampMs);
            _streams[device] = open;
        }

        var (stream, origin) = open;
        var first = (long)Math.Round((timestampMs - origin) * samplingFrequency / 1000.0);
        if (Math.Abs(first - stream.NextSample) <= _jitterMs * samplingFrequency / 1000.0)
        {
            first = stream.NextSample;
        }

        updates.Add(stream.PushMicrovolts(microvolts, Math.Max(0, first), leadOff));
        return updates;
    }

    /// <summary>Completes and forgets a device's stream (the device went away or the node shuts down).</summary>
    /// <param name="device">Device id.</param>
    /// <returns>The final update (summary findings included).</returns>
    /// <exception cref="KeyNotFoundException">No open stream for that device.</exception>
    public EcgStreamUpdate Complete(string device)
    {
        var (stream, _) = _streams[device];
        _streams.Remove(device);
        return stream.Complete();
    }
}
