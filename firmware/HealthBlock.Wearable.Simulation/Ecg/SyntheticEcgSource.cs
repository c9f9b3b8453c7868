using HealthBlock.Analysis;

namespace HealthBlock.Wearable.Simulation.Ecg;

/// <summary>
/// An endless synthetic ECG as the electrodes see it: a thin adapter over the analysis library's
/// <see cref="SyntheticEcgGenerator"/> (the one ECG model of the repository: sum-of-Gaussians beats, ectopy, pauses,
/// conduction changes) that adds white noise, a sinusoidal baseline wander and lead-off periods. Deterministic for a
/// seed; samples may be read in any order: the model is rendered in chunks, of which a few are kept.
/// </summary>
public sealed class SyntheticEcgSource : IEcgSource
{
    private const int ChunkSamples = 1024;
    private const int CachedChunks = 8;

    private readonly SyntheticEcgSourceOptions _options;
    private readonly SyntheticEcgGenerator _generator;
    private readonly LinkedList<(long Chunk, double[] Millivolts)> _cache = new();
    private readonly Lock _lock = new();

    /// <summary>Creates the signal.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate or the irregularity is out of range.</exception>
    public SyntheticEcgSource(SyntheticEcgSourceOptions? options = null)
    {
        _options = options ?? new SyntheticEcgSourceOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.HeartRateBpm, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(_options.RrIrregularity, 1);
        _generator = new SyntheticEcgGenerator(new SyntheticEcgOptions
        {
            SamplingFrequency = _options.SampleRateHz,
            HeartRateBpm = _options.HeartRateBpm,
            RrVariability = 0,
            RrIrregularity = _options.RrIrregularity,
            Rhythm = _options.Rhythm,
            Morphology = _options.Morphology,
            RAmplitudeMv = _options.RAmplitudeMicrovolts / 1000.0,
            FirstBeatSeconds = _options.FirstBeatSeconds,
            Seed = _options.Seed,
        });
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
            return [.. _generator.Beats(0, Math.BitIncrement(untilSeconds)).Select(b => b.TimeSeconds)];
        }
    }

    /// <summary>The beats (times, labels, shapes) up to <paramref name="untilSeconds"/>.</summary>
    public IReadOnlyList<SyntheticBeat> Beats(double untilSeconds)
    {
        lock (_lock)
        {
            return _generator.Beats(0, Math.BitIncrement(untilSeconds));
        }
    }

    /// <inheritdoc />
    public int MicrovoltsAt(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        double mv;
        lock (_lock)
        {
            mv = Chunk(index / ChunkSamples)[index % ChunkSamples];
        }

        var t = (double)index / _options.SampleRateHz;
        var value = mv * 1000 + _options.BaselineWanderMicrovolts * Math.Sin(2 * Math.PI * _options.BaselineWanderHz * t);
        if (_options.NoiseMicrovolts > 0)
        {
            value += _options.NoiseMicrovolts * NoiseSources.GaussianAt(_options.Seed, index);
        }

        return (int)Math.Round(value);
    }

    /// <inheritdoc />
    public bool IsLeadOffAt(long index) => LeadOffSchedule.Contains(_options.LeadOff, (double)index / _options.SampleRateHz);

    private double[] Chunk(long chunk)
    {
        for (var node = _cache.First; node is not null; node = node.Next)
        {
            if (node.Value.Chunk == chunk)
            {
                _cache.Remove(node);
                _cache.AddFirst(node);
                return node.Value.Millivolts;
            }
        }

        var samples = new double[ChunkSamples];
        _generator.Render(chunk * ChunkSamples, samples);
        _cache.AddFirst((chunk, samples));
        if (_cache.Count > CachedChunks)
        {
            _cache.RemoveLast();
        }

        return samples;
    }
}
