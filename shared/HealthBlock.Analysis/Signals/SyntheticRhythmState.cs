namespace HealthBlock.Analysis;

/// <summary>
/// The beat-by-beat state of a synthetic rhythm: a plain copyable value, so a generator can keep checkpoints of it and
/// regenerate any stretch of an endless ECG exactly.
/// </summary>
internal struct SyntheticRhythmState
{
    private SplitMix64 _rng;
    private double _time;
    private double _previousRr;
    private long _count;
    private int _runRemaining;
    private int _runMorphology;
    private int _nextVentricular; // -1: next beat conducted; otherwise index of the ventricular morphology
    private double _compensation;  // > 0: the interval after the current premature beat
    private bool _afterRun;

    public static SyntheticRhythmState Start(SyntheticEcgOptions o) => new()
    {
        _rng = SplitMix64.For(o.Seed, 1),
        _time = o.FirstBeatSeconds,
        _previousRr = 60.0 / o.HeartRateBpm,
        _nextVentricular = -1,
    };

    public readonly double Time => _time;

    /// <summary>Returns the beat at <see cref="Time"/> and moves to the next one.</summary>
    public SyntheticBeat Next(SyntheticEcgOptions o)
    {
        var rhythm = o.Rhythm;
        var sinusRr = SinusRr(o);
        var ventricular = _nextVentricular;
        var morphology = ventricular >= 0 ? rhythm!.VentricularMorphologies[ventricular] : Conducted(o, out _);
        var amplitude = o.RAmplitudeMv * (ventricular >= 0 ? 1.0 : ConductedAmplitude(o));
        var beat = new SyntheticBeat(_time, morphology, amplitude, _previousRr, ventricular < 0);

        double interval;
        _nextVentricular = -1;
        if (_runRemaining > 0)
        {
            _runRemaining--;
            interval = 60.0 / rhythm!.RunRateBpm * (1 + 0.03 * _rng.NextGaussian());
            _nextVentricular = _runMorphology;
            _afterRun = true;
        }
        else if (_afterRun)
        {
            _afterRun = false;
            interval = 1.3 * sinusRr;
        }
        else if (_compensation > 0)
        {
            interval = _compensation;
            _compensation = 0;
        }
        else if (rhythm is null || ventricular >= 0)
        {
            interval = sinusRr;
        }
        else
        {
            interval = Ectopy(rhythm, sinusRr);
        }

        interval = Math.Max(0.25, interval);
        _previousRr = interval;
        _time += interval;
        _count++;
        return beat;
    }

    private double Ectopy(SyntheticRhythm rhythm, double sinusRr)
    {
        var u = _rng.NextDouble();
        var morphologies = rhythm.VentricularMorphologies.Count;
        if (rhythm.Bigeminy || u < rhythm.PrematureVentricularProbability)
        {
            var coupling = sinusRr * _rng.NextDouble(rhythm.CouplingMin, rhythm.CouplingMax);
            _nextVentricular = (int)(_rng.NextUInt64() % (ulong)morphologies);
            _compensation = 2 * sinusRr - coupling; // full compensatory pause
            return coupling;
        }

        u -= rhythm.PrematureVentricularProbability;
        if (u < rhythm.VentricularRunProbability)
        {
            _runMorphology = (int)(_rng.NextUInt64() % (ulong)morphologies);
            _nextVentricular = _runMorphology;
            _runRemaining = (int)_rng.NextDouble(rhythm.RunMinBeats, rhythm.RunMaxBeats + 1) - 1;
            return Math.Max(60.0 / rhythm.RunRateBpm, sinusRr * rhythm.CouplingMin);
        }

        u -= rhythm.VentricularRunProbability;
        return u < rhythm.PauseProbability ? _rng.NextDouble(rhythm.PauseMinSeconds, rhythm.PauseMaxSeconds) : sinusRr;
    }

    private double SinusRr(SyntheticEcgOptions o)
    {
        if (o.RrIntervalsSeconds is { Count: > 0 } list)
        {
            return list[(int)(_count % list.Count)];
        }

        var mean = 60.0 / o.HeartRateBpm;
        var rr = mean * (1 + o.RrVariability * _rng.NextGaussian());
        if (o.RrIrregularity > 0)
        {
            rr *= 1 + o.RrIrregularity * (2 * _rng.NextDouble() - 1);
        }

        return rr;
    }

    private readonly SyntheticBeatMorphology Conducted(SyntheticEcgOptions o, out int segment)
    {
        segment = o.Rhythm is { ConductedMorphologies: not null } r ? (int)Math.Floor(_time / r.ConductionSegmentSeconds) : 0;
        return o.Rhythm?.ConductedMorphologies is { Count: > 0 } list ? list[segment % list.Count] : o.ConductedMorphology;
    }

    private readonly double ConductedAmplitude(SyntheticEcgOptions o)
    {
        if (o.Rhythm?.ConductedAmplitudes is not { Count: > 0 } amplitudes)
        {
            return 1.0;
        }

        var segment = (int)Math.Floor(_time / o.Rhythm.ConductionSegmentSeconds);
        return amplitudes[segment % amplitudes.Count];
    }
}
