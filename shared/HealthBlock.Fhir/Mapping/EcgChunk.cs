namespace HealthBlock.Fhir;

/// <summary>One ECG observation's worth of samples: a stretch of a continuous recording, at most the chunk length.</summary>
/// <param name="DeviceId">The recording device.</param>
/// <param name="RateMilliHz">Sample rate, mHz.</param>
/// <param name="StartTicks">Time of the first sample, 100-ns ticks since the Unix epoch.</param>
/// <param name="EndTicks">Time just after the last sample (first sample + count × period).</param>
/// <param name="Parts">The samples, as slices of the input segments, in order.</param>
/// <param name="Url">The observation's <c>urn:uuid:</c> full URL.</param>
internal sealed record EcgChunk(ulong DeviceId, uint RateMilliHz, long StartTicks, long EndTicks, IReadOnlyList<ReadOnlyMemory<short>> Parts, string Url)
{
    /// <summary>Number of samples.</summary>
    public int SampleCount => Parts.Sum(p => p.Length);
}
