using System.Text.Json.Serialization;

namespace HealthBlock.Analysis;

/// <summary>A time window, in seconds from the start of the analysed recording.</summary>
/// <param name="StartSeconds">Start, seconds.</param>
/// <param name="EndSeconds">End, seconds (equal to start for an instant).</param>
public sealed record TimeWindow(double StartSeconds, double EndSeconds)
{
    /// <summary>Length of the window, seconds.</summary>
    [JsonIgnore]
    public double DurationSeconds => EndSeconds - StartSeconds;

    /// <summary>The window covering samples <c>[start, end)</c> at <paramref name="samplingFrequency"/>.</summary>
    /// <param name="startSample">First sample.</param>
    /// <param name="endSample">One past the last sample.</param>
    /// <param name="samplingFrequency">Samples per second.</param>
    /// <returns>The window in seconds.</returns>
    public static TimeWindow FromSamples(long startSample, long endSample, double samplingFrequency) =>
        new(startSample / samplingFrequency, endSample / samplingFrequency);
}
