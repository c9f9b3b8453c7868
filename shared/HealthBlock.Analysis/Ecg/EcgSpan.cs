namespace HealthBlock.Analysis;

/// <summary>A stretch of samples <c>[StartSample, EndSample)</c> of a stream (absolute sample indices) and why it is marked.</summary>
/// <param name="StartSample">First sample.</param>
/// <param name="EndSample">One past the last sample.</param>
/// <param name="Issues">Why the stretch is marked (e.g. unreadable because of lead-off or artefact).</param>
public readonly record struct EcgSpan(long StartSample, long EndSample, SignalIssue Issues)
{
    /// <summary>Number of samples.</summary>
    public long Length => EndSample - StartSample;

    /// <summary>True when <paramref name="sample"/> lies inside.</summary>
    /// <param name="sample">A sample index.</param>
    public bool Contains(long sample) => sample >= StartSample && sample < EndSample;
}
