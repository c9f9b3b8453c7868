using System.Globalization;
using Xunit.Abstractions;

namespace HealthBlock.Fuzz.Tests;

/// <summary>
/// The CI run of the decoder fuzzer: a short, fixed-seed run per decoder (random bytes and mutations of valid
/// encodings). A new crash fails the test with its input in hex; crashes of the known, reported issues are listed in
/// the output (see bench/HealthBlock.Fuzzing/KnownIssues.cs; none is open). Set HEALTHBLOCK_FUZZ_INPUTS / HEALTHBLOCK_FUZZ_SEED to run
/// longer or elsewhere; the bench (bench/HealthBlock.Fuzz.Bench) is the long run.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DecoderFuzzTests(ITestOutputHelper output)
{
    private static readonly int Inputs = int.Parse(Environment.GetEnvironmentVariable("HEALTHBLOCK_FUZZ_INPUTS") ?? "20000", CultureInfo.InvariantCulture);
    private static readonly int Seed = int.Parse(Environment.GetEnvironmentVariable("HEALTHBLOCK_FUZZ_SEED") ?? "1", CultureInfo.InvariantCulture);

    public static TheoryData<string> Targets => [.. TargetsFixture.Names];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Decoder_survives_random_and_mutated_inputs(string target)
    {
        using var targets = new HealthBlockTargets();
        var runner = new FuzzRunner(new FuzzOptions { TimeBudget = TimeSpan.FromSeconds(10), SkipKnownIssueInputs = true });

        var result = runner.Run(targets[target], Inputs, Seed);

        output.WriteLine($"{target}: {result.Inputs} inputs (seed {Seed}), {result.Accepted} accepted, {result.Rejected} rejected, {result.CrashCount} crashes ({result.KnownCrashCount} of known issues), {result.Skipped} known-issue inputs skipped, {result.InputsPerSecond:N0}/s");
        foreach (var crash in result.Crashes.Where(c => c.KnownIssueId is not null))
        {
            output.WriteLine("known: " + crash.Describe());
        }

        Assert.True(result.NewCrashCount == 0, $"{result.NewCrashCount} new crashing inputs:\n" + string.Join("\n", result.NewCrashes.Select(c => c.Describe())));
        Assert.Equal(Inputs, result.Inputs);
        Assert.True(result.Accepted > 0, "no mutated input was ever accepted: the seeds or the target are broken");
    }
}

public sealed class TargetsFixture
{
    public static IReadOnlyList<string> Names { get; } = LoadNames();

    private static string[] LoadNames()
    {
        using var targets = new HealthBlockTargets();
        return [.. targets.All.Select(t => t.Name)];
    }
}
