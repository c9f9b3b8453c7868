namespace HealthBlock.Fuzz;

/// <summary>Limits of one fuzz run.</summary>
public sealed record FuzzOptions
{
    /// <summary>Longest one input may take before it counts as a hang (an infinite loop or an unbounded computation).</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most bytes one input may make the decoder allocate before it counts as a memory blow-up.</summary>
    public long AllocationBudget { get; init; } = 64L * 1024 * 1024;

    /// <summary>Share of inputs that are purely random bytes (the rest are mutations of valid encodings).</summary>
    public double RandomShare { get; init; } = 0.15;

    /// <summary>Distinct crashes kept per target (all are counted).</summary>
    public int MaxCrashesKept { get; init; } = 20;

    /// <summary>Skip the inputs a target's <see cref="KnownIssue.MatchesInput"/> recognises (CI runs: a known hang would leave a busy thread).</summary>
    public bool SkipKnownIssueInputs { get; init; }

    /// <summary>When set, each input is written here before it runs (to recover the input of a stack overflow, which kills the process).</summary>
    public string? TraceFile { get; init; }
}
