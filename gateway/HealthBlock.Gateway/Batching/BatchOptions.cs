namespace HealthBlock.Gateway.Batching;

/// <summary>How the gateway cuts the journal into batches.</summary>
public sealed record BatchOptions
{
    /// <summary>A batch is sealed once its oldest frame has waited this long.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>... or once its frames reach this many bytes (kept under the 1 MiB block limit).</summary>
    public int MaxBatchBytes { get; init; } = 768 * 1024;

    /// <summary>First retry delay after the store or ledger fails; doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest retry delay.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The slow safety net: how often the batcher looks at the journal when nothing woke it. The batcher wakes when the
    /// ingestor journals a frame and when the oldest waiting frame's window ends, so this is not on any frame's path;
    /// it only bounds how long a missed wake-up could delay a batch.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);
}
