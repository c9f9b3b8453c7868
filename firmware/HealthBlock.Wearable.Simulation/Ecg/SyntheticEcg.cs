namespace HealthBlock.Wearable.Simulation.Ecg;

/// <summary>Settings of a <see cref="SyntheticEcg"/>.</summary>
public sealed class SyntheticEcgOptions
{
    /// <summary>Mean heart rate.</summary>
    public double HeartRateBpm { get; init; } = 72;

    /// <summary>Each RR interval is the mean times a uniform factor in [1 − x, 1 + x] (0 = regular; 0.2 looks like atrial fibrillation).</summary>
    public double RrIrregularity { get; init; }

    /// <summary>Standard deviation of white noise, µV.</summary>
    public double NoiseMicrovolts { get; init; }

    /// <summary>Amplitude of a sinusoidal baseline wander, µV.</summary>
    public double BaselineWanderMicrovolts { get; init; }

    /// <summary>Frequency of the baseline wander (breathing), Hz.</summary>
    public double BaselineWanderHz { get; init; } = 0.25;

    /// <summary>Height of the R wave, µV.</summary>
    public double RAmplitudeMicrovolts { get; init; } = 1200;

    /// <summary>Time of the first R peak, seconds.</summary>
    public double FirstBeatSeconds { get; init; } = 0.5;

    /// <summary>Lead-off intervals (start, duration) in seconds.</summary>
    public IReadOnlyList<(double StartSeconds, double DurationSeconds)> LeadOff { get; init; } = [];

    /// <summary>Sample rate, Hz.</summary>
    public int SampleRateHz { get; init; } = 250;

    /// <summary>Seed of the RR irregularity and the noise.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>
/// An endless synthetic ECG with known beat times: each beat is a sum of Gaussian P, Q, R, S and T waves centred on
/// its R peak (the shape of McSharry et al.'s ECGSYN model), plus optional RR irregularity, white noise, baseline
/// wander and lead-off periods. Deterministic for a seed; samples may be read in any order.
/// </summary>
public sealed class SyntheticEcg : IEcgSource
{
    // (offset from R in s, width in s, amplitude relative to R)
    private static readonly (double Offset, double Width, double Amplitude)[] Waves =
    [
        (-0.200, 0.025, 0.12),  // P
        (-0.030, 0.010, -0.10), // Q
        (0.000, 0.012, 1.00),   // R
        (0.030, 0.010, -0.25),  // S
        (0.280, 0.060, 0.30),   // T
    ];

    private readonly SyntheticEcgOptions _options;
    private readonly List<double> _beats = [];
    private readonly Random _rr;
    private readonly Lock _lock = new();

    /// <summary>Creates the signal.</summary>
    public SyntheticEcg(SyntheticEcgOptions? options = null)
    {
        _options = options ?? new SyntheticEcgOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.HeartRateBpm, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(_options.RrIrregularity, 1);
        _rr = new Random(_options.Seed);
        _beats.Add(_options.FirstBeatSeconds);
    }

    /// <inheritdoc />
    public int SampleRateHz => _options.SampleRateHz;

    /// <inheritdoc />
    public long Length => long.MaxValue;

    /// <summary>The R-peak times (seconds) of every beat up to <paramref name="untilSeconds"/>.</summary>
    public IReadOnlyList<double> BeatTimes(double untilSeconds)
    {
        lock (_lock)
        {
            ExtendTo(untilSeconds);
            return _beats.Where(t => t <= untilSeconds).ToList();
        }
    }

    /// <inheritdoc />
    public int MicrovoltsAt(long index)
    {
        var t = (double)index / _options.SampleRateHz;
        double value = 0;
        lock (_lock)
        {
            ExtendTo(t + 1);
            var first = _beats.BinarySearch(t - 0.5);
            for (var b = first < 0 ? ~first : first; b < _beats.Count && _beats[b] < t + 0.5; b++)
            {
                foreach (var (offset, width, amplitude) in Waves)
                {
                    var d = (t - _beats[b] - offset) / width;
                    value += amplitude * Math.Exp(-0.5 * d * d);
                }
            }
        }

        value *= _options.RAmplitudeMicrovolts;
        value += _options.BaselineWanderMicrovolts * Math.Sin(2 * Math.PI * _options.BaselineWanderHz * t);
        if (_options.NoiseMicrovolts > 0)
        {
            value += _options.NoiseMicrovolts * Gaussian(index);
        }

        return (int)Math.Round(value);
    }

    /// <inheritdoc />
    public bool IsLeadOffAt(long index) => LeadOffSchedule.Contains(_options.LeadOff, (double)index / _options.SampleRateHz);

    private void ExtendTo(double seconds)
    {
        var mean = 60.0 / _options.HeartRateBpm;
        while (_beats[^1] <= seconds)
        {
            var factor = 1 + (_options.RrIrregularity * ((2 * _rr.NextDouble()) - 1));
            _beats.Add(_beats[^1] + (mean * factor));
        }
    }

    // A standard normal value that depends only on the seed and the index (Box-Muller over SplitMix64).
    private double Gaussian(long index)
    {
        var u1 = Uniform(((ulong)_options.Seed << 32) ^ (ulong)index ^ 0x9E3779B97F4A7C15);
        var u2 = Uniform(((ulong)_options.Seed << 32) ^ (ulong)index ^ 0xD1B54A32D192ED03);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Uniform(ulong x)
    {
        x += 0x9E3779B97F4A7C15;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        x ^= x >> 31;
        return ((x >> 11) + 0.5) / (1UL << 53);
    }
}
