using System.Diagnostics;
using Xunit.Abstractions;

namespace HealthBlock.Cli.Tests;

/// <summary>The docs are a test: <c>.ci/walkthrough.sh</c> runs the walk-through block of docs/deployment.md as separate processes.</summary>
[Trait("Category", "Slow")]
public sealed class WalkthroughTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_documented_walkthrough_runs_every_role_as_its_own_process_and_ends_with_a_diagnosis_and_a_clean_audit()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepositoryFiles.InRepository(".ci", "walkthrough.sh"));
        start.Environment["HEALTHBLOCK_DLL"] = Path.Combine(AppContext.BaseDirectory, "healthblock.dll");
        using var script = Process.Start(start)!;
        var stdout = script.StandardOutput.ReadToEndAsync();
        var stderr = script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(12));
        var text = await stdout;
        var log = text + await stderr;
        output.WriteLine(log.Length > 20_000 ? log[^20_000..] : log);

        Assert.True(script.ExitCode == 0, log[Math.Max(0, log.Length - 4000)..]);
        // At least the first diagnosis (the doctor may commit another before `patient diagnoses` reads them), none unreadable.
        Assert.Matches(@"(?m)^[1-9][0-9]* diagnosis\(es\), 0 unreadable$", text);
        Assert.Contains("ledger ok: ", text, StringComparison.Ordinal);
        Assert.Contains("walk-through passed", text, StringComparison.Ordinal);
    }
}
