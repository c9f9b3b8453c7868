namespace HealthBlock.Analysis;

/// <summary>A contiguous stretch of samples <c>[StartSample, EndSample)</c> and its issues.</summary>
/// <param name="StartSample">First sample.</param>
/// <param name="EndSample">One past the last sample.</param>
/// <param name="Issues">Issues found in the stretch (<see cref="SignalIssue.None"/> for analysed stretches).</param>
public readonly record struct SignalSegment(int StartSample, int EndSample, SignalIssue Issues)
{
    /// <summary>Number of samples.</summary>
    public int Length => EndSample - StartSample;
}
