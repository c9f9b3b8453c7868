using HealthBlock.Analysis;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Web.Ecg;

/// <summary>
/// Turns one device's ECG frames into an <see cref="EcgSeries"/>: when the range holds at most the points asked for,
/// every sample on the device's sampling grid (gaps and lead-off as null) and the R peaks that
/// <see cref="EcgAnalyzer"/> finds in exactly those samples; otherwise the minimum and maximum of each time bucket
/// (two points per bucket), taken from each frame's kept extremes when the frame falls in one bucket, so a 24 h range
/// costs one step per frame rather than per sample.
/// </summary>
public static class EcgSeriesBuilder
{
    /// <summary>Longest raw strip the R-peak detector is run on, in samples (5 min at 250 Hz).</summary>
    public const int MaxDetectedSamples = 75_000;

    /// <summary>Fewest points a request may ask for.</summary>
    public const int MinPoints = 16;

    /// <summary>Most points a request may ask for.</summary>
    public const int MaxPoints = 100_000;

    /// <summary>Builds the series of <paramref name="device"/> in [<paramref name="fromMs"/>, <paramref name="toMs"/>).</summary>
    /// <param name="device">The device.</param>
    /// <param name="frames">Its ECG frames, in ascending start time (frames of other devices are skipped).</param>
    /// <param name="fromMs">Start of the range.</param>
    /// <param name="toMs">End of the range (exclusive).</param>
    /// <param name="maxPoints">Most points to return (clamped to [<see cref="MinPoints"/>, <see cref="MaxPoints"/>]).</param>
    /// <exception cref="ArgumentException">The range is empty.</exception>
    public static EcgSeries Build(ulong device, IReadOnlyList<EcgSamples> frames, long fromMs, long toMs, int maxPoints)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (toMs <= fromMs)
        {
            throw new ArgumentException($"the range [{fromMs}, {toMs}) is empty");
        }

        maxPoints = Math.Clamp(maxPoints, MinPoints, MaxPoints);
        var first = FirstOverlapping(frames, fromMs);
        var rateMilliHz = 0u;
        for (var i = first; i < frames.Count && frames[i].StartMs < toMs; i++)
        {
            if (frames[i].Device == device)
            {
                rateMilliHz = frames[i].RateMilliHz;
                break;
            }
        }

        var name = DeviceFrame.FormatDeviceId(device);
        if (rateMilliHz == 0)
        {
            return new EcgSeries(name, fromMs, toMs, 0, false, [], [], []);
        }

        var gridLength = (long)Math.Floor((toMs - fromMs) * (rateMilliHz / 1_000_000.0));
        return gridLength <= maxPoints
            ? Raw(name, device, frames, first, fromMs, toMs, rateMilliHz, (int)gridLength)
            : Decimated(name, device, frames, first, fromMs, toMs, rateMilliHz, maxPoints / 2);
    }

    /// <summary>Index of the first frame that may overlap <paramref name="fromMs"/> (frames sorted by start).</summary>
    internal static int FirstOverlapping(IReadOnlyList<EcgSamples> frames, long fromMs)
    {
        int lo = 0, hi = frames.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (frames[mid].StartMs < fromMs)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        // A frame starting before the range may still reach into it (frames of one device barely overlap: look a few back).
        var index = lo;
        for (var back = lo - 1; back >= 0 && lo - back <= 8; back--)
        {
            if (frames[back].EndMs > fromMs)
            {
                index = back;
            }
        }

        return index;
    }

    private static EcgSeries Raw(string name, ulong device, IReadOnlyList<EcgSamples> frames, int first, long fromMs, long toMs, uint rateMilliHz, int length)
    {
        var grid = new double[length];
        Array.Fill(grid, double.NaN);
        var perMs = rateMilliHz / 1_000_000.0;
        for (var f = first; f < frames.Count && frames[f].StartMs < toMs; f++)
        {
            var frame = frames[f];
            if (frame.Device != device || frame.LeadOff || frame.RateMilliHz != rateMilliHz)
            {
                continue;
            }

            var offset = (long)Math.Round((frame.StartMs - fromMs) * perMs);
            var samples = frame.Microvolts;
            for (var i = 0; i < samples.Length; i++)
            {
                var k = offset + i;
                if (k >= 0 && k < length)
                {
                    grid[k] = samples[i] / 1000.0;
                }
            }
        }

        var seconds = new double[length];
        var values = new double?[length];
        for (var k = 0; k < length; k++)
        {
            seconds[k] = SecondsAt(fromMs, k, rateMilliHz);
            values[k] = double.IsNaN(grid[k]) ? null : grid[k];
        }

        IReadOnlyList<double> peaks = [];
        if (length is > 0 and <= MaxDetectedSamples && values.Any(v => v is not null))
        {
            var result = EcgAnalyzer.Analyze(grid, rateMilliHz / 1000.0);
            peaks = [.. result.RPeaks.Select(p => SecondsAt(fromMs, p, rateMilliHz))];
        }

        return new EcgSeries(name, fromMs, toMs, rateMilliHz / 1000.0, false, seconds, values, peaks);
    }

    private static EcgSeries Decimated(string name, ulong device, IReadOnlyList<EcgSamples> frames, int first, long fromMs, long toMs, uint rateMilliHz, int buckets)
    {
        var min = new int[buckets];
        var max = new int[buckets];
        Array.Fill(min, int.MaxValue);
        Array.Fill(max, int.MinValue);
        var width = (toMs - fromMs) / (double)buckets;
        for (var f = first; f < frames.Count && frames[f].StartMs < toMs; f++)
        {
            var frame = frames[f];
            if (frame.Device != device || frame.LeadOff)
            {
                continue;
            }

            var b0 = (int)Math.Floor((frame.StartMs - fromMs) / width);
            var b1 = (int)Math.Floor((frame.EndMs - 1 - fromMs) / width);
            if (b0 == b1 && b0 >= 0 && b0 < buckets)
            {
                min[b0] = Math.Min(min[b0], frame.Min);
                max[b0] = Math.Max(max[b0], frame.Max);
                continue;
            }

            var samples = frame.Microvolts;
            for (var i = 0; i < samples.Length; i++)
            {
                var b = (int)Math.Floor((frame.TimeOf(i) - fromMs) / width);
                if (b >= 0 && b < buckets)
                {
                    min[b] = Math.Min(min[b], samples[i]);
                    max[b] = Math.Max(max[b], samples[i]);
                }
            }
        }

        var seconds = new double[buckets * 2];
        var values = new double?[buckets * 2];
        for (var b = 0; b < buckets; b++)
        {
            var start = fromMs + (b * width);
            seconds[2 * b] = start / 1000.0;
            seconds[(2 * b) + 1] = (start + (width / 2)) / 1000.0;
            var empty = min[b] == int.MaxValue;
            values[2 * b] = empty ? null : min[b] / 1000.0;
            values[(2 * b) + 1] = empty ? null : max[b] / 1000.0;
        }

        return new EcgSeries(name, fromMs, toMs, rateMilliHz / 1000.0, true, seconds, values, []);
    }

    private static double SecondsAt(long fromMs, long sample, uint rateMilliHz) => (fromMs + (sample * 1_000_000.0 / rateMilliHz)) / 1000.0;
}
