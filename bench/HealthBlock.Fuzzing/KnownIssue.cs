namespace HealthBlock.Fuzz;

/// <summary>
/// A failure that fuzzing found and that has been reported but not fixed yet. Its crashes are counted as known; with
/// <see cref="FuzzOptions.SkipKnownIssueInputs"/> the inputs that <see cref="MatchesInput"/> recognises are not run at
/// all (for hangs, whose thread cannot be stopped). Remove the entry when the decoder is fixed.
/// </summary>
/// <param name="Id">A short id (also the name of the regression test).</param>
/// <param name="Summary">One line: what fails and why.</param>
public sealed record KnownIssue(string Id, string Summary)
{
    /// <summary>Recognises a crash of this issue from the crash and its input.</summary>
    public Func<Crash, byte[], bool>? MatchesCrash { get; init; }

    /// <summary>Recognises an input that triggers this issue before it runs.</summary>
    public Func<byte[], bool>? MatchesInput { get; init; }
}
