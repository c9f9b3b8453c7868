namespace HealthBlock.Analysis;

/// <summary>
/// An endless synthetic ECG that can be rendered in any order: beats come from a seeded rhythm state machine
/// (<see cref="SyntheticEcgOptions"/>, <see cref="SyntheticRhythm"/>) whose state is saved every
/// <see cref="CheckpointSeconds"/>, so any stretch is regenerated from the nearest checkpoint, exactly as a sequential
/// reading would have produced it. Each beat is a sum of Gaussian waves (<see cref="SyntheticBeatMorphology"/>);
/// T waves are stretched with √RR (Bazett); without P waves, 6 Hz fibrillatory waves are drawn instead.
/// </summary>
/// <remarks>Memory: one small checkpoint per <see cref="CheckpointSeconds"/> of ECG reached so far, plus the beats of
/// the last stretch rendered. Not thread-safe.</remarks>
public sealed class SyntheticEcgGenerator
{
    /// <summary>Interval between saved rhythm states, seconds.</summary>
    public const double CheckpointSeconds = 30.0;

    /// <summary>How far a beat's waves reach from its fiducial time, seconds (P before, T after).</summary>
    private const double Reach = 1.5;

    private readonly SyntheticEcgOptions _options;
    private readonly List<SyntheticRhythmState> _checkpoints = [];
    private readonly double _fibrillationPhase;
    private SyntheticRhythmState _frontier;
    private (double From, double To, List<SyntheticBeat> Beats) _cache = (0, 0, []);

    /// <summary>Creates the generator.</summary>
    /// <param name="options">Parameters (the duration is ignored).</param>
    /// <exception cref="ArgumentOutOfRangeException">A rate, frequency or amplitude is not positive or finite.</exception>
    public SyntheticEcgGenerator(SyntheticEcgOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.SamplingFrequency);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.HeartRateBpm);
        ArgumentOutOfRangeException.ThrowIfNegative(options.FirstBeatSeconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(options.RrIrregularity, 1.0);
        if (options.Rhythm is { } r)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(r.RunRateBpm);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(r.ConductionSegmentSeconds);
            if (r.VentricularMorphologies.Count == 0)
            {
                throw new ArgumentException("a rhythm needs at least one ventricular morphology", nameof(options));
            }
        }

        _options = options;
        _frontier = SyntheticRhythmState.Start(options);
        _checkpoints.Add(_frontier);
        var phase = SplitMix64.For(options.Seed, 2);
        _fibrillationPhase = phase.NextDouble() * 2 * Math.PI;
    }

    /// <summary>Samples per second.</summary>
    public double SamplingFrequency => _options.SamplingFrequency;

    /// <summary>The beats whose fiducial time lies in <c>[fromSeconds, toSeconds)</c>, in time order.</summary>
    /// <param name="fromSeconds">Start, seconds.</param>
    /// <param name="toSeconds">End (exclusive), seconds.</param>
    /// <returns>The beats.</returns>
    public IReadOnlyList<SyntheticBeat> Beats(double fromSeconds, double toSeconds)
    {
        if (!(toSeconds > fromSeconds))
        {
            return [];
        }

        if (fromSeconds < _cache.From || toSeconds > _cache.To)
        {
            _cache = (fromSeconds, toSeconds, Generate(fromSeconds, toSeconds));
        }

        return _cache.Beats.Where(b => b.TimeSeconds >= fromSeconds && b.TimeSeconds < toSeconds).ToList();
    }

    /// <summary>Renders samples <c>[firstSample, firstSample + destination.Length)</c> of the clean ECG, mV.</summary>
    /// <param name="firstSample">Index of the first sample (0 = time 0).</param>
    /// <param name="destination">Receives the samples (overwritten).</param>
    /// <param name="beatsBeforeSeconds">Only beats before this time are drawn (default: all), so that a finite ECG can
    /// end without a partial beat.</param>
    public void Render(long firstSample, Span<double> destination, double beatsBeforeSeconds = double.PositiveInfinity)
    {
        var fs = _options.SamplingFrequency;
        destination.Clear();
        if (destination.Length == 0)
        {
            return;
        }

        var t0 = firstSample / fs;
        var t1 = (firstSample + destination.Length) / fs;
        foreach (var beat in Beats(Math.Max(0, t0 - Reach), Math.Min(t1 + Reach, beatsBeforeSeconds)))
        {
            Draw(beat, firstSample, destination);
        }

        if (!_options.PWaves)
        {
            var a = 0.04 * _options.RAmplitudeMv;
            for (var i = 0; i < destination.Length; i++)
            {
                var t = (firstSample + i) / fs;
                destination[i] += a * Math.Sin(2 * Math.PI * 6.0 * t + _fibrillationPhase + 1.5 * Math.Sin(2 * Math.PI * 0.3 * t));
            }
        }
    }

    private List<SyntheticBeat> Generate(double fromSeconds, double toSeconds)
    {
        var slot = (int)Math.Max(0, Math.Floor(fromSeconds / CheckpointSeconds));
        while (_checkpoints.Count <= slot && Advance())
        {
        }

        var state = _checkpoints[Math.Min(slot, _checkpoints.Count - 1)];
        var beats = new List<SyntheticBeat>();
        while (state.Time < toSeconds)
        {
            var beat = state.Next(_options);
            if (beat.TimeSeconds >= fromSeconds)
            {
                beats.Add(beat);
            }
        }

        return beats;
    }

    /// <summary>Generates forward from the frontier until the next checkpoint slot is reached.</summary>
    private bool Advance()
    {
        var next = _checkpoints.Count * CheckpointSeconds;
        while (_frontier.Time < next)
        {
            _frontier.Next(_options);
        }

        _checkpoints.Add(_frontier);
        return true;
    }

    private void Draw(SyntheticBeat beat, long firstSample, Span<double> destination)
    {
        var scale = beat.Amplitude;
        if (_options.RespiratoryModulation != 0)
        {
            scale *= 1 + _options.RespiratoryModulation * Math.Sin(2 * Math.PI * 0.25 * beat.TimeSeconds);
        }

        var m = beat.Morphology;
        if (_options.PWaves && beat.Conducted && m.HasPWave)
        {
            AddWave(destination, firstSample, beat.TimeSeconds, SyntheticBeatMorphology.PWave, scale, 1.0);
        }

        foreach (var w in m.Qrs)
        {
            AddWave(destination, firstSample, beat.TimeSeconds, w, scale, 1.0);
        }

        var stretch = Math.Sqrt(Math.Clamp(beat.PreviousRrSeconds, 0.25, 2.5));
        foreach (var w in m.T)
        {
            AddWave(destination, firstSample, beat.TimeSeconds, w, scale, stretch);
        }
    }

    private void AddWave(Span<double> x, long firstSample, double beatTime, SyntheticWave wave, double scale, double stretch)
    {
        var fs = _options.SamplingFrequency;
        var centre = beatTime + wave.OffsetSeconds * stretch;
        var width = wave.WidthSeconds * stretch;
        var from = Math.Max(firstSample, (long)Math.Floor((centre - 5 * width) * fs));
        var to = Math.Min(firstSample + x.Length - 1, (long)Math.Ceiling((centre + 5 * width) * fs));
        var amplitude = wave.Amplitude * scale;
        for (var i = from; i <= to; i++)
        {
            var z = (i / fs - centre) / width;
            x[(int)(i - firstSample)] += amplitude * Math.Exp(-0.5 * z * z);
        }
    }
}
