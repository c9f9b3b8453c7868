using HealthBlock.Analysis;
using HealthBlock.Paillier;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Gateway.Statistics;

/// <summary>
/// Turns one patient's frames, in the order the gateway journalled them, into timed <see cref="VitalSignEvent"/>s — the
/// readings cohort statistics count (definitions in <c>docs/paillier.md</c>):
/// <list type="bullet">
/// <item>ECG, through the analysis library's streaming analyser (<see cref="EcgDeviceStreams"/>, one stream per device):
/// each RR interval between two consecutive final beats of one stream, 200 ms to 6 s long, with no unreadable span
/// between them, at the time of its second beat; rate-episode, irregular-rhythm and pause findings at their start; each
/// second holding a sample of a frame not flagged lead-off or sensor fault, as worn.</item>
/// <item>Blood pressure: each plausible reading (systolic 50–300 and diastolic 20–200 mmHg, systolic above diastolic) at
/// the frame's time, and a hypertension finding when it is stage 1 or above (ACC/AHA 2017).</item>
/// <item>Temperature: each plausible reading (25.00–45.00 °C) at its sample time, and a fever or hypothermia finding.</item>
/// </list>
/// Frames flagged sensor fault give no reading. The result depends only on the frames and their order, so the same
/// frames always give the same events. Not thread-safe.
/// </summary>
public sealed class VitalSignsExtractor
{
    private const FrameFlags Unworn = FrameFlags.LeadOff | FrameFlags.SensorFault;

    private readonly EcgDeviceStreams _ecg = new();
    private readonly Dictionary<string, EcgTrack> _tracks = new(StringComparer.Ordinal);

    /// <summary>Adds the readings of <paramref name="frame"/> that are final now to <paramref name="events"/>.</summary>
    /// <exception cref="ArgumentException">An ECG frame at a rate the analyser refuses (below 50 or above 20,000 Hz).</exception>
    public void Add(DeviceFrame frame, ICollection<VitalSignEvent> events)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(events);
        switch (frame.Kind)
        {
            case SensorKind.Ecg:
                AddEcg(frame, events);
                break;
            case SensorKind.BloodPressure when (frame.Flags & FrameFlags.SensorFault) == 0:
                AddPressures(frame, events);
                break;
            case SensorKind.Temperature when (frame.Flags & FrameFlags.SensorFault) == 0:
                AddTemperatures(frame, events);
                break;
        }
    }

    /// <summary>Completes every ECG stream (its pending beats become final) and adds what that gives.</summary>
    public void Complete(ICollection<VitalSignEvent> events)
    {
        foreach (var device in _ecg.Devices.ToList())
        {
            Take(_tracks[device], _ecg.Complete(device), events);
        }

        _tracks.Clear();
    }

    private void AddEcg(DeviceFrame frame, ICollection<VitalSignEvent> events)
    {
        var device = frame.DeviceName;
        var rate = frame.RateMilliHz / 1000.0;
        var samples = frame.Samples;
        var microvolts = new int[samples.Length];
        for (var i = 0; i < microvolts.Length; i++)
        {
            microvolts[i] = samples[i];
        }

        var unworn = (frame.Flags & Unworn) != 0;
        var known = _tracks.TryGetValue(device, out var track);
        var updates = _ecg.Push(device, frame.TimestampMs, rate, microvolts, unworn);
        var next = 0;
        if (known && updates.Count == 2)
        {
            // A change of rate: the first update completes the old stream, the second starts a new one.
            Take(track!, updates[0], events);
            next = 1;
            known = false;
        }

        if (!known)
        {
            track = new EcgTrack(_ecg.OriginMs(device), rate);
            _tracks[device] = track;
        }

        for (; next < updates.Count; next++)
        {
            Take(track!, updates[next], events);
        }

        if (!unworn)
        {
            var first = FloorDiv(frame.TimestampMs, 1000);
            var last = FloorDiv(frame.TimestampMs + frame.DurationMs, 1000);
            for (var second = first; second <= last; second++)
            {
                events.Add(new VitalSignEvent(VitalSignKind.WornSecond, second * 1000, 0));
            }
        }
    }

    private static void Take(EcgTrack track, EcgStreamUpdate update, ICollection<VitalSignEvent> events)
    {
        track.Unreadable.AddRange(update.Unreadable);
        foreach (var beat in update.Beats)
        {
            var at = track.TimeOf(beat.Sample);
            if (track.PreviousBeat is { } previous)
            {
                var rr = at - track.TimeOf(previous);
                var readable = !track.Unreadable.Exists(s => s.StartSample < beat.Sample && s.EndSample > previous);
                if (readable && rr >= VitalSignsLayout.MinRrIntervalMs && rr <= VitalSignsLayout.MaxRrIntervalMs)
                {
                    events.Add(new VitalSignEvent(VitalSignKind.RrInterval, at, (int)rr));
                }
            }

            track.PreviousBeat = beat.Sample;
            track.Unreadable.RemoveAll(s => s.EndSample <= beat.Sample);
        }

        foreach (var finding in update.Findings)
        {
            VitalSignSlot? slot = finding.Kind switch
            {
                FindingKind.Bradycardia => VitalSignSlot.FindingsBradycardia,
                FindingKind.Tachycardia => VitalSignSlot.FindingsTachycardia,
                FindingKind.IrregularRhythm => VitalSignSlot.FindingsIrregularRhythm,
                FindingKind.Pause => VitalSignSlot.FindingsPause,
                _ => null,
            };
            if (slot is { } s && finding.Window is { } window)
            {
                events.Add(new VitalSignEvent(VitalSignKind.Finding, track.TimeOf(window.StartSeconds), (int)s));
            }
        }
    }

    private static void AddPressures(DeviceFrame frame, ICollection<VitalSignEvent> events)
    {
        var samples = frame.Samples;
        for (var i = 0; i + 2 < samples.Length; i += 3)
        {
            int systolic = samples[i], diastolic = samples[i + 1];
            if (systolic < BloodPressureClassifier.MinPlausibleSystolic || systolic > BloodPressureClassifier.MaxPlausibleSystolic
                || diastolic < BloodPressureClassifier.MinPlausibleDiastolic || diastolic > BloodPressureClassifier.MaxPlausibleDiastolic
                || systolic <= diastolic)
            {
                continue;
            }

            events.Add(new VitalSignEvent(VitalSignKind.BloodPressure, frame.TimestampMs, systolic, diastolic));
            if (BloodPressureClassifier.Classify(systolic, diastolic) >= BloodPressureCategory.Stage1Hypertension)
            {
                events.Add(new VitalSignEvent(VitalSignKind.Finding, frame.TimestampMs, (int)VitalSignSlot.FindingsHypertension));
            }
        }
    }

    private static void AddTemperatures(DeviceFrame frame, ICollection<VitalSignEvent> events)
    {
        var samples = frame.Samples;
        for (var i = 0; i < samples.Length; i++)
        {
            int centi = samples[i];
            if (centi < TemperatureClassifier.MinPlausibleCentiCelsius || centi > TemperatureClassifier.MaxPlausibleCentiCelsius)
            {
                continue;
            }

            var at = frame.TimestampMs + (i * 1_000_000L / frame.RateMilliHz);
            events.Add(new VitalSignEvent(VitalSignKind.Temperature, at, centi));
            var finding = TemperatureClassifier.Classify(centi) switch
            {
                TemperatureCategory.Fever => VitalSignSlot.FindingsFever,
                TemperatureCategory.Hypothermia => VitalSignSlot.FindingsHypothermia,
                _ => (VitalSignSlot?)null,
            };
            if (finding is { } slot)
            {
                events.Add(new VitalSignEvent(VitalSignKind.Finding, at, (int)slot));
            }
        }
    }

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b) < 0 ? 1 : 0);
}
