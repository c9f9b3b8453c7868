namespace HealthBlock.Analysis;

/// <summary>
/// Heart rate per epoch (<see cref="EcgAnalysisOptions.RateEpochSeconds"/>, counted from the start of each readable
/// stretch, RR intervals assigned by their end) and bradycardia / tachycardia episodes: runs of consecutive epochs
/// of one stretch below <see cref="EcgAnalysisOptions.BradycardiaBpm"/> or above
/// <see cref="EcgAnalysisOptions.TachycardiaBpm"/>. An episode is reported when it ends, with the span from the start of
/// its first RR interval to the end of its last.
/// </summary>
internal sealed class RateEpisodeTracker
{
    private readonly double _fs;
    private readonly EcgAnalysisOptions _o;
    private readonly Action<Finding> _emit;
    private readonly long _epochLength;
    private readonly List<RrInterval> _epoch = [];
    private readonly Run _brady = new(true);
    private readonly Run _tachy = new(false);
    private long _stretchStart;
    private long _epochIndex = -1;

    public RateEpisodeTracker(double fs, EcgAnalysisOptions o, Action<Finding> emit)
    {
        _fs = fs;
        _o = o;
        _emit = emit;
        _epochLength = Math.Max(1, (long)Math.Round(o.RateEpochSeconds * fs));
    }

    /// <summary>Heart rate of the last complete epoch, bpm.</summary>
    public double? LastEpochBpm { get; private set; }

    /// <summary>Lowest epoch rate so far, bpm.</summary>
    public double? MinEpochBpm { get; private set; }

    /// <summary>Highest epoch rate so far, bpm.</summary>
    public double? MaxEpochBpm { get; private set; }

    public bool BradycardiaOpen => _brady.Epochs > 0;

    public bool TachycardiaOpen => _tachy.Epochs > 0;

    public void StretchStart(long start)
    {
        _stretchStart = start;
        _epochIndex = -1;
        _epoch.Clear();
    }

    public void Rr(RrInterval rr)
    {
        var index = (rr.EndSample - _stretchStart) / _epochLength;
        if (index != _epochIndex)
        {
            CloseEpoch();
            _epochIndex = index;
        }

        _epoch.Add(rr);
    }

    /// <summary>The readable stretch ended: the open epoch and episodes close.</summary>
    public void StretchEnd()
    {
        CloseEpoch();
        _brady.Close(this);
        _tachy.Close(this);
        _epochIndex = -1;
    }

    private void CloseEpoch()
    {
        if (_epoch.Count >= 2)
        {
            var bpm = 60.0 / _epoch.Average(r => r.Seconds);
            LastEpochBpm = bpm;
            MinEpochBpm = Math.Min(MinEpochBpm ?? bpm, bpm);
            MaxEpochBpm = Math.Max(MaxEpochBpm ?? bpm, bpm);
            _brady.Epoch(this, _epochIndex, bpm, _epoch);
            _tachy.Epoch(this, _epochIndex, bpm, _epoch);
        }

        _epoch.Clear();
    }

    private sealed class Run(bool bradycardia)
    {
        private long _lastIndex = -2;
        private long _start;
        private long _end;
        private double _seconds;
        private int _intervals;
        private double _extreme;

        public int Epochs { get; private set; }

        public void Epoch(RateEpisodeTracker t, long index, double bpm, List<RrInterval> rr)
        {
            var matches = bradycardia ? bpm < t._o.BradycardiaBpm : bpm > t._o.TachycardiaBpm;
            if (!matches || (Epochs > 0 && index != _lastIndex + 1))
            {
                Close(t);
            }

            if (!matches)
            {
                return;
            }

            if (Epochs == 0)
            {
                _start = rr[0].StartSample;
                _seconds = 0;
                _intervals = 0;
                _extreme = bpm;
            }

            Epochs++;
            _lastIndex = index;
            _end = rr[^1].EndSample;
            _seconds += rr.Sum(r => r.Seconds);
            _intervals += rr.Count;
            _extreme = bradycardia ? Math.Min(_extreme, bpm) : Math.Max(_extreme, bpm);
        }

        public void Close(RateEpisodeTracker t)
        {
            if (Epochs == 0)
            {
                return;
            }

            var o = t._o;
            var window = TimeWindow.FromSamples(_start, _end, t._fs);
            var mean = 60.0 / (_seconds / _intervals);
            var severe = bradycardia ? _extreme < o.SevereBradycardiaBpm : _extreme > o.SevereTachycardiaBpm;
            var name = bradycardia ? "Bradycardia" : "Tachycardia";
            var limit = bradycardia ? $"< {RhythmFinding.F0(o.BradycardiaBpm)}" : $"> {RhythmFinding.F0(o.TachycardiaBpm)}";
            var reference = bradycardia ? " (2018 ACC/AHA/HRS bradycardia guideline: sinus bradycardia < 50 bpm)" : string.Empty;
            t._emit(RhythmFinding.Rhythm(
                bradycardia ? FindingKind.Bradycardia : FindingKind.Tachycardia,
                severe ? FindingSeverity.High : FindingSeverity.Low,
                $"{name}: heart rate {limit} bpm for {RhythmFinding.F0(window.DurationSeconds)} s (mean {RhythmFinding.F0(mean)} bpm, "
                + $"{(bradycardia ? "lowest" : "highest")} 10 s epoch {RhythmFinding.F0(_extreme)} bpm){reference}.",
                window,
                new FindingValues().Add("meanHeartRateBpm", mean)
                    .Add(bradycardia ? "minHeartRateBpm" : "maxHeartRateBpm", _extreme)
                    .Add("durationSeconds", window.DurationSeconds).Build()));
            Epochs = 0;
            _lastIndex = -2;
        }
    }
}
