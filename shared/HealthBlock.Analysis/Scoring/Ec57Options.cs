namespace HealthBlock.Analysis;

/// <summary>How <c>Ec57Scorer.Evaluate</c> compares a test annotator with the reference.</summary>
public sealed record Ec57Options
{
    /// <summary>Match window, seconds (default 0.150, as EC57).</summary>
    public double ToleranceSeconds { get; init; } = Ec57Scorer.DefaultToleranceSeconds;

    /// <summary>First sample scored (default 0: the whole record; EC57's <c>bxb</c> starts at 5 minutes by default).</summary>
    public long StartSample { get; init; }

    /// <summary>One past the last sample scored (default: no limit).</summary>
    public long EndSample { get; init; } = long.MaxValue;

    /// <summary>When given, only beats inside these spans are scored (e.g. the noisy segments of a noise stress test).</summary>
    public IReadOnlyList<EcgSpan>? Windows { get; init; }
}
