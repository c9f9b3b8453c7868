namespace HealthBlock.Fuzz;

/// <summary>
/// Replays one input against chosen targets and reports each verdict, as the fuzz bench's <c>--replay</c> does and as
/// the fuzz tests do in a child process (so a hang cannot leave a busy thread in the test host).
/// </summary>
public static class FuzzReplay
{
    /// <summary>Runs <paramref name="input"/> on each target; writes one line per target and each crash described.</summary>
    /// <returns>0 when no target crashed (a refusal is fine), else 1.</returns>
    public static int Run(IEnumerable<FuzzTarget> targets, byte[] input, FuzzOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(output);
        var runner = new FuzzRunner(options);
        var failed = false;
        foreach (var target in targets)
        {
            var result = runner.Replay(target, [input]);
            output.WriteLine($"{target.Name}: accepted {result.Accepted}, rejected {result.Rejected}, crashes {result.CrashCount}");
            foreach (var crash in result.Crashes)
            {
                output.WriteLine(crash.Describe());
                failed = true;
            }
        }

        return failed ? 1 : 0;
    }
}
