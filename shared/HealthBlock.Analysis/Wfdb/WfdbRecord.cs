namespace HealthBlock.Analysis;

/// <summary>A WFDB record read into memory: header plus per-channel samples in ADC units.</summary>
public sealed class WfdbRecord
{
    private readonly int[][] _samples;

    /// <summary>Creates a record from a header and one sample array per signal.</summary>
    /// <param name="header">The parsed header.</param>
    /// <param name="samples">One array per signal, all of the same length.</param>
    /// <exception cref="ArgumentException">When the arrays do not match the header.</exception>
    public WfdbRecord(WfdbHeader header, int[][] samples)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Length != header.Signals.Count)
        {
            throw new ArgumentException("One sample array per signal is required.", nameof(samples));
        }

        for (var i = 1; i < samples.Length; i++)
        {
            if (samples[i].Length != samples[0].Length)
            {
                throw new ArgumentException("All signals must have the same length.", nameof(samples));
            }
        }

        Header = header;
        _samples = samples;
    }

    /// <summary>The parsed header.</summary>
    public WfdbHeader Header { get; }

    /// <summary>Record name.</summary>
    public string Name => Header.RecordName;

    /// <summary>Samples per second per signal.</summary>
    public double SamplingFrequency => Header.SamplingFrequency;

    /// <summary>Number of signals (channels).</summary>
    public int SignalCount => _samples.Length;

    /// <summary>Samples per signal.</summary>
    public int SampleCount => _samples.Length == 0 ? 0 : _samples[0].Length;

    /// <summary>ADC samples of one channel.</summary>
    /// <param name="channel">Zero-based channel index.</param>
    public ReadOnlySpan<int> GetSamples(int channel) => _samples[CheckChannel(channel)];

    /// <summary>Gain (ADC units per physical unit) of one channel.</summary>
    /// <param name="channel">Zero-based channel index.</param>
    public double GetGain(int channel) => Header.Signals[CheckChannel(channel)].Gain;

    /// <summary>Baseline (ADC value of physical zero) of one channel.</summary>
    /// <param name="channel">Zero-based channel index.</param>
    public int GetBaseline(int channel) => Header.Signals[CheckChannel(channel)].Baseline;

    /// <summary>
    /// Converts one channel to physical units: <c>(adc - baseline) / gain</c> (millivolts for ECG).
    /// Invalid-sample markers (-32768, or -2048 in format 212) become <see cref="double.NaN"/>.
    /// </summary>
    /// <param name="channel">Zero-based channel index.</param>
    /// <returns>A new array of physical values.</returns>
    public double[] ToPhysical(int channel)
    {
        var info = Header.Signals[CheckChannel(channel)];
        var src = _samples[channel];
        var invalid = info.Format == 212 ? -2048 : -32768;
        var result = new double[src.Length];
        for (var i = 0; i < src.Length; i++)
        {
            result[i] = src[i] == invalid ? double.NaN : (src[i] - info.Baseline) / info.Gain;
        }

        return result;
    }

    private int CheckChannel(int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, _samples.Length);
        return channel;
    }
}
