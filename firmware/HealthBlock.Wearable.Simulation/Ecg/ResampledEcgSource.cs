using HealthBlock.Analysis;

namespace HealthBlock.Wearable.Simulation.Ecg;

/// <summary>
/// One signal of a record resampled to the wearable's rate by linear interpolation: output sample n lies at input
/// position n × fin / fout, and the output has floor(N × fout / fin) samples (MIT-BIH 100 at 250 Hz: 451,388).
/// </summary>
/// <remarks>
/// MIT-BIH was band-limited to 0.1–100 Hz before it was digitised, so going from 360 to 250 Hz (Nyquist 125 Hz)
/// needs no further anti-alias filter; linear interpolation moves an R peak by at most one output sample.
/// </remarks>
public sealed class ResampledEcgSource : IEcgSource
{
    private readonly int[] _microvolts;

    /// <summary>Resamples <paramref name="signal"/> of <paramref name="record"/> to <paramref name="rateHz"/>.</summary>
    public ResampledEcgSource(WfdbRecord record, int signal = 0, int rateHz = 250)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentOutOfRangeException.ThrowIfLessThan(rateHz, 1);
        SampleRateHz = rateHz;
        var input = record.GetSamples(signal);
        var baseline = record.GetBaseline(signal);
        var gain = record.GetGain(signal);
        var frequency = (long)record.SamplingFrequency;
        if (frequency != record.SamplingFrequency || frequency < 1)
        {
            throw new ArgumentException($"record {record.Name} has a non-integer sampling frequency {record.SamplingFrequency}", nameof(record));
        }

        var count = input.Length * (long)rateHz / frequency;
        _microvolts = new int[count];
        for (long n = 0; n < count; n++)
        {
            var position = n * frequency;
            var i = (int)(position / rateHz);
            var fraction = (double)(position % rateHz) / rateHz;
            var next = i + 1 < input.Length ? input[i + 1] : input[i];
            var adu = (input[i] * (1 - fraction)) + (next * fraction);
            _microvolts[n] = (int)Math.Round((adu - baseline) * 1000.0 / gain);
        }
    }

    /// <inheritdoc />
    public int SampleRateHz { get; }

    /// <inheritdoc />
    public long Length => _microvolts.Length;

    /// <summary>Lead-off intervals in seconds (none by default).</summary>
    public IReadOnlyList<(double StartSeconds, double DurationSeconds)> LeadOff { get; init; } = [];

    /// <inheritdoc />
    public int MicrovoltsAt(long index) => _microvolts[index];

    /// <inheritdoc />
    public bool IsLeadOffAt(long index) => LeadOffSchedule.Contains(LeadOff, (double)index / SampleRateHz);
}

/// <summary>Lead-off intervals.</summary>
internal static class LeadOffSchedule
{
    public static bool Contains(IReadOnlyList<(double StartSeconds, double DurationSeconds)> intervals, double seconds)
    {
        foreach (var (start, duration) in intervals)
        {
            if (seconds >= start && seconds < start + duration)
            {
                return true;
            }
        }

        return false;
    }
}
