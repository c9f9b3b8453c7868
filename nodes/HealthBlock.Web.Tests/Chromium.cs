using Microsoft.Playwright;

namespace HealthBlock.Web.Tests;

/// <summary>
/// The browser the tests drive: Debian's chromium (apt package <c>chromium</c>), found at <c>HEALTHBLOCK_CHROMIUM</c>
/// (CI exports it) or <c>/usr/bin/chromium</c>. Playwright never downloads a browser here. Without a browser the tests
/// report themselves skipped with the way to install it, like the repo's other tests that need an outside program;
/// under CI (<c>CI=true</c>) they never skip: a missing browser fails them.
/// </summary>
internal static class Chromium
{
    public const string Variable = "HEALTHBLOCK_CHROMIUM";

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Why the browser tests cannot run here, or null when they must run: a browser is there, or its variable is set
    /// (CI's .ci/services.sh sets it), or CI=true — then a missing browser fails them.
    /// </summary>
    public static string? SkipReason => IsCi || Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } || File.Exists(Candidate()) ? null
        : $"No chromium at {Candidate()}: install Debian's chromium (apt-get install chromium) or set {Variable} to its executable.";

    private static string Candidate() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set ? set : "/usr/bin/chromium";

    public static string ExecutablePath()
    {
        var path = Candidate();
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"No chromium at {path}: install Debian's chromium (apt-get install chromium) or set {Variable} to its executable; under CI the browser tests do not skip.");
        }

        return path;
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = ExecutablePath(),
        Headless = true,
        // No sandbox as root in CI containers; no background traffic to the (closed) network.
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
}
