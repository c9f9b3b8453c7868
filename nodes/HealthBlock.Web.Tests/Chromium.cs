using Microsoft.Playwright;

namespace HealthBlock.Web.Tests;

/// <summary>
/// The browser the tests drive: Debian's chromium (apt package <c>chromium</c>), found at <c>HEALTHBLOCK_CHROMIUM</c>
/// (CI exports it) or <c>/usr/bin/chromium</c>. Playwright never downloads a browser here. A missing browser fails the
/// test with the way to install it: browser tests are never skipped.
/// </summary>
internal static class Chromium
{
    public const string Variable = "HEALTHBLOCK_CHROMIUM";

    public static string ExecutablePath()
    {
        var path = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set ? set : "/usr/bin/chromium";
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"No chromium at {path}: install Debian's chromium (apt-get install chromium) or set {Variable} to its executable. Browser tests do not skip.");
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
