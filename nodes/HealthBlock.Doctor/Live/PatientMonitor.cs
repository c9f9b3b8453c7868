using System.Globalization;
using HealthBlock.Analysis;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor.Live;

/// <summary>
/// The live state of one patient on a doctor node: one streaming ECG analyser per device (<see cref="EcgDeviceStreams"/>:
/// each sample analysed once, memory bounded), the patient's open conditions, the last
/// <see cref="DiagnosisPayload.MaxCitations"/> sub-batch hashes (what a diagnosis can cite) and the findings of the
/// current summary period (at most <see cref="MaxPeriodFindings"/>, informational ones not kept). Sub-batches come from
/// the live topic or, after a gap, from the committed period bundles; each is taken once, in sequence order (an older one
/// is ignored). Not thread-safe: the caller holds one lock per patient.
/// </summary>
internal sealed class PatientMonitor(LiveAlarmOptions options)
{
    /// <summary>Most findings kept for one summary period.</summary>
    public const int MaxPeriodFindings = 256;

    private readonly EcgDeviceStreams _ecg = new();
    private readonly Queue<(ulong Sequence, byte[] Hash, long FirstMs, long LastMs)> _recent = new();
    private readonly Dictionary<string, long> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _changing = new(StringComparer.Ordinal);
    private readonly List<(Finding Finding, long OriginMs)> _period = [];
    private readonly int[] _counts = new int[4];
    private bool _any;

    /// <summary>The epoch of the last sub-batch taken.</summary>
    public uint Epoch { get; private set; }

    /// <summary>The last sequence number taken in <see cref="Epoch"/>.</summary>
    public ulong LastSequence { get; private set; }

    /// <summary>Takes one opened sub-batch; null when it is not newer than the last one taken (nothing done).</summary>
    public List<LiveTransition>? Accept(uint epoch, ulong sequence, byte[] hash, IReadOnlyList<DeviceFrame> frames)
    {
        if (_any && (epoch < Epoch || (epoch == Epoch && sequence <= LastSequence)))
        {
            return null;
        }

        if (epoch != Epoch)
        {
            _recent.Clear(); // a diagnosis cites sub-batches of its own epoch only
        }

        _any = true;
        Epoch = epoch;
        LastSequence = sequence;
        if (frames.Count > 0)
        {
            _recent.Enqueue((sequence, hash, frames.Min(f => f.TimestampMs), frames.Max(f => f.TimestampMs + f.DurationMs)));
            while (_recent.Count > DiagnosisPayload.MaxCitations)
            {
                _recent.Dequeue();
            }
        }

        var transitions = new List<LiveTransition>();
        foreach (var frame in frames.OrderBy(f => f.TimestampMs).ThenBy(f => f.Sequence))
        {
            _counts[0]++;
            var fault = (frame.Flags & FrameFlags.SensorFault) != 0;
            switch (frame.Kind)
            {
                case SensorKind.Ecg:
                    _counts[1]++;
                    Ecg(frame, (frame.Flags & (FrameFlags.LeadOff | FrameFlags.SensorFault)) != 0, transitions);
                    break;
                case SensorKind.BloodPressure when !fault:
                    _counts[2]++;
                    BloodPressure(frame, transitions);
                    break;
                case SensorKind.Temperature when !fault:
                    _counts[3]++;
                    Temperature(frame, transitions);
                    break;
            }
        }

        return transitions;
    }

    /// <summary>
    /// The findings of the period since the last call (windows in seconds from <paramref name="windowStartMs"/>) and the
    /// frames seen (total, ECG, blood pressure, temperature); starts a new period.
    /// </summary>
    public (List<Finding> Findings, int[] Counts) TakePeriod(long windowStartMs)
    {
        var findings = _period.Select(p => p.Finding.Window is { } w
            ? p.Finding with { Window = new TimeWindow(Math.Round(w.StartSeconds + ((p.OriginMs - windowStartMs) / 1000.0), 3), Math.Round(w.EndSeconds + ((p.OriginMs - windowStartMs) / 1000.0), 3)) }
            : p.Finding).ToList();
        var counts = (int[])_counts.Clone();
        _period.Clear();
        Array.Clear(_counts);
        return (findings, counts);
    }

    private void Ecg(DeviceFrame frame, bool leadOff, List<LiveTransition> transitions)
    {
        var device = frame.DeviceName;
        var rate = frame.RateMilliHz / 1000.0;
        var samples = new int[frame.Samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = frame.Samples[i];
        }

        foreach (var update in _ecg.Push(device, frame.TimestampMs, rate, samples, leadOff))
        {
            var origin = _ecg.OriginMs(device);
            long At(double seconds) => origin + (long)Math.Round(seconds * 1000);
            foreach (var f in update.Findings)
            {
                Keep(f, origin);
                if (f is { Kind: FindingKind.Pause, Window: { } w } && !_open.ContainsKey("asystole|" + device))
                {
                    // A pause that ended before the open-asystole check saw it (a beat came within the detector's hold).
                    transitions.Add(Transition("pause", true, true, Critical(FindingKind.Pause, f.Text), At(w.StartSeconds), At(w.EndSeconds)));
                }
            }

            var state = update.Rhythm;
            var silent = state is { Readable: true, LastBeatSample: { } last } && (update.FinalThrough - last) / rate >= options.AsystoleSeconds;
            var lastBeatMs = state.LastBeatSample is { } lb ? At(lb / rate) : frame.TimestampMs;
            var nowMs = At(update.FinalThrough / rate);
            Condition("asystole", device, silent, true, FindingKind.Pause, $"Asystole: no beat for at least {options.AsystoleSeconds.ToString(CultureInfo.InvariantCulture)} s on a readable ECG", lastBeatMs, silent ? lastBeatMs + (long)(options.AsystoleSeconds * 1000) : nowMs, transitions);
            Condition("ventricular-tachycardia", device, state.VentricularBeatsInRow >= options.VentricularTachycardiaBeats, true, FindingKind.VentricularRun, $"Ventricular tachycardia: {state.VentricularBeatsInRow} consecutive ventricular beats", lastBeatMs, lastBeatMs, transitions);
            var bpm = state.HeartRateBpm;
            Condition("extreme-bradycardia", device, bpm < options.ExtremeBradycardiaBpm, true, FindingKind.Bradycardia, $"Extreme bradycardia: {bpm?.ToString("F0", CultureInfo.InvariantCulture)} bpm over a 10 s epoch", nowMs - 10_000, nowMs, transitions);
            Condition("bradycardia", device, state.Bradycardia, false, FindingKind.Bradycardia, "Bradycardia episode", nowMs - 10_000, nowMs, transitions);
            Condition("tachycardia", device, state.Tachycardia, false, FindingKind.Tachycardia, "Tachycardia episode", nowMs - 10_000, nowMs, transitions);
            Condition("irregular-rhythm", device, state.IrregularRhythm, false, FindingKind.IrregularRhythm, "Irregular rhythm (possible atrial fibrillation)", nowMs - 10_000, nowMs, transitions);
        }
    }

    private void BloodPressure(DeviceFrame frame, List<LiveTransition> transitions)
    {
        var s = frame.Samples;
        for (var i = 0; i + 2 < s.Length; i += 3)
        {
            var finding = BloodPressureClassifier.Analyze(s[i], s[i + 1], new TimeWindow(0, 0));
            Keep(finding, frame.TimestampMs);
            Condition("hypertensive-crisis", frame.DeviceName, finding.Kind == FindingKind.HypertensiveCrisis, true, FindingKind.HypertensiveCrisis, finding.Text, frame.TimestampMs, frame.TimestampMs, transitions);
        }
    }

    private void Temperature(DeviceFrame frame, List<LiveTransition> transitions)
    {
        var s = frame.Samples;
        for (var i = 0; i < s.Length; i++)
        {
            var at = frame.TimestampMs + (frame.RateMilliHz == 0 ? 0 : (long)(i * 1_000_000L / frame.RateMilliHz));
            var finding = TemperatureClassifier.Analyze(s[i], new TimeWindow(0, 0));
            Keep(finding, at);
            Condition("high-fever", frame.DeviceName, s[i] >= options.AlarmFeverCentiCelsius, true, FindingKind.Fever, finding.Text, at, at, transitions);
            Condition("fever", frame.DeviceName, finding.Kind == FindingKind.Fever && s[i] < options.AlarmFeverCentiCelsius, false, FindingKind.Fever, finding.Text, at, at, transitions);
        }
    }

    /// <summary>Opens or closes a condition of a device; a change becomes a transition citing its evidence.</summary>
    private void Condition(string name, string device, bool active, bool critical, FindingKind kind, string text, long evidenceStartMs, long readingMs, List<LiveTransition> transitions)
    {
        var key = name + "|" + device;
        var open = _open.ContainsKey(key);
        if (active == open)
        {
            _changing.Remove(key);
            return;
        }

        if (!critical)
        {
            // Hysteresis: the new state must hold for FindingHold before the change is written.
            var since = _changing.TryAdd(key, readingMs) ? readingMs : _changing[key];
            if (readingMs - since < options.FindingHold.TotalMilliseconds)
            {
                return;
            }

            _changing.Remove(key);
        }

        if (active)
        {
            _open[key] = readingMs;
            transitions.Add(Transition(name, true, critical, critical ? Critical(kind, text) : Moderate(kind, text), evidenceStartMs, readingMs));
        }
        else
        {
            _open.Remove(key, out var since);
            transitions.Add(Transition(name, false, false, Moderate(kind, $"Ended: {name} (since {DateTimeOffset.FromUnixTimeMilliseconds(since):O})"), since, readingMs));
        }
    }

    private LiveTransition Transition(string name, bool started, bool critical, Finding finding, long evidenceStartMs, long readingMs)
    {
        var cited = _recent.Where(r => r.LastMs >= evidenceStartMs && r.FirstMs <= readingMs).ToList();
        if (_recent.Count > 0 && (cited.Count == 0 || cited[^1].Sequence != _recent.Last().Sequence))
        {
            cited.Add(_recent.Last());
        }

        return new LiveTransition(name, started, critical, finding, evidenceStartMs, readingMs, [.. cited.Select(c => new LiveCitation(c.Sequence, c.Hash))]);
    }

    private void Keep(Finding finding, long originMs)
    {
        if (finding.Severity > FindingSeverity.Info && _period.Count < MaxPeriodFindings)
        {
            _period.Add((finding, originMs));
        }
    }

    private static Finding Critical(FindingKind kind, string text) => new(kind, FindingSeverity.Critical, text, null, new Dictionary<string, double>(), AlgorithmInfo.RhythmName, AlgorithmInfo.RhythmVersion);

    private static Finding Moderate(FindingKind kind, string text) => new(kind, FindingSeverity.Moderate, text, null, new Dictionary<string, double>(), AlgorithmInfo.RhythmName, AlgorithmInfo.RhythmVersion);
}
