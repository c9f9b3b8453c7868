namespace HealthBlock.Fhir;

/// <summary>Settings of an export.</summary>
public sealed record FhirExportOptions
{
    /// <summary>The longest ECG observation, in seconds: a continuous recording is cut into observations of this length (the last one shorter).</summary>
    public const int DefaultEcgChunkSeconds = 60;

    /// <summary>Base URI of HealthBlock's identifier and code systems (<see cref="FhirNaming"/>).</summary>
    public string NamingBase { get; init; } = FhirNaming.DefaultBase;

    /// <summary>Seconds of ECG per observation, 1 – 3600 (default <see cref="DefaultEcgChunkSeconds"/>).</summary>
    public int EcgChunkSeconds { get; init; } = DefaultEcgChunkSeconds;

    /// <summary>How many threads build and serialise resources at once (default: the processor count).</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
}
