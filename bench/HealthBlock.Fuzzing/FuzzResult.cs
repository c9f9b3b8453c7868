namespace HealthBlock.Fuzz;

/// <summary>The numbers of one target's run.</summary>
/// <param name="Target">The target.</param>
/// <param name="Inputs">Inputs run.</param>
/// <param name="Accepted">Inputs the decoder accepted.</param>
/// <param name="Rejected">Inputs refused with the decoder's own error type.</param>
/// <param name="CrashCount">Failing inputs (all kinds, known issues included).</param>
/// <param name="KnownCrashCount">Failing inputs of known issues.</param>
/// <param name="Skipped">Inputs of known issues not run (<see cref="FuzzOptions.SkipKnownIssueInputs"/>).</param>
/// <param name="Crashes">Distinct failures (by <see cref="Crash.Signature"/>), with one input each.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record FuzzResult(FuzzTarget Target, long Inputs, long Accepted, long Rejected, long CrashCount, long KnownCrashCount, long Skipped, IReadOnlyList<Crash> Crashes, TimeSpan Elapsed)
{
    /// <summary>Failing inputs not explained by a known issue.</summary>
    public long NewCrashCount => CrashCount - KnownCrashCount;

    /// <summary>Distinct new failures.</summary>
    public IReadOnlyList<Crash> NewCrashes => [.. Crashes.Where(c => c.KnownIssueId is null)];

    /// <summary>Inputs per second.</summary>
    public double InputsPerSecond => Elapsed.TotalSeconds > 0 ? Inputs / Elapsed.TotalSeconds : 0;

    /// <summary>True when the run was cut short by a hang (the decoder's thread is abandoned).</summary>
    public bool Hung => Crashes.Any(c => c.Kind == CrashKind.Hang);
}
