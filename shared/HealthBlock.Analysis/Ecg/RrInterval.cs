namespace HealthBlock.Analysis;

/// <summary>An RR interval between two consecutive detected beats of the same clean segment.</summary>
/// <param name="StartSample">Sample of the first R peak.</param>
/// <param name="EndSample">Sample of the second R peak.</param>
/// <param name="Seconds">Interval length, seconds.</param>
public readonly record struct RrInterval(long StartSample, long EndSample, double Seconds)
{
    /// <summary>Instantaneous heart rate, beats per minute.</summary>
    public double HeartRateBpm => 60.0 / Seconds;
}
