using System.Text.RegularExpressions;
using HealthBlock.Devnet;
using HealthBlock.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;

namespace HealthBlock.Web.Tests;

/// <summary>
/// A devnet-like run shared by the browser tests: one accounting node, two patients (each a gateway serving its page),
/// two doctors (each serving its page), two emulated wearables streaming recorded ECG until the tests end; the page URLs
/// are read from what devnet prints, as an operator would. Also the browser.
/// </summary>
public sealed partial class PageWorld : IAsyncLifetime, IDevnetView
{
    public const string Passphrase = "correct horse battery staple";

    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _lines = [];
    private Task<DevnetReport>? _run;

    public IReadOnlyList<Uri> PatientPages { get; private set; } = [];

    public IReadOnlyList<Uri> DoctorPages { get; private set; } = [];

    public IReadOnlyList<Uri> PatientLoginLinks { get; private set; } = [];

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go (the test results folder in CI).</summary>
    public string Artifacts { get; } = Path.Combine(Environment.GetEnvironmentVariable("HEALTHBLOCK_TEST_RESULTS") ?? AppContext.BaseDirectory, "web-screenshots");

    public async Task InitializeAsync()
    {
        if (Chromium.SkipReason is not null)
        {
            return; // every test is skipped with the reason
        }

        Directory.CreateDirectory(Artifacts);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(Playwright);
        var options = new DevnetOptions { Wearables = 2, Patients = 2, Doctors = 2, Seconds = 0, LivePath = false, BatchWindow = TimeSpan.FromSeconds(20), WebPassphrase = Passphrase };
        _run = Task.Run(() => new DevnetRunner(options, this, NullLoggerFactory.Instance).RunAsync(_stop.Token));
        await Eventually.WaitUntilAsync(() => _run.IsCompleted || Lines().Any(l => l.StartsWith("pairing", StringComparison.Ordinal)), "devnet to print its page URLs", TimeSpan.FromSeconds(180));
        if (_run.IsFaulted)
        {
            await _run;
        }

        var lines = Lines();
        PatientPages = [.. lines.Select(l => PagePattern().Match(l)).Where(m => m.Success && m.Groups[1].Value == "patient").Select(m => new Uri(m.Groups[2].Value))];
        PatientLoginLinks = [.. lines.Select(l => PagePattern().Match(l)).Where(m => m.Success && m.Groups[1].Value == "patient").Select(m => new Uri(m.Groups[3].Value))];
        DoctorPages = [.. lines.Select(l => PagePattern().Match(l)).Where(m => m.Success && m.Groups[1].Value == "doctor").Select(m => new Uri(m.Groups[2].Value))];
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        await _stop.CancelAsync();
        try
        {
            if (_run is not null)
            {
                await _run;
            }
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    /// <summary>A fresh browser context (its own cookies), with generous timeouts for a loaded machine.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(90_000);
        return await context.NewPageAsync();
    }

    /// <summary>Logs in on <paramref name="page"/> with the demo passphrase.</summary>
    public static async Task LogInAsync(IPage page, Uri pageUrl)
    {
        await page.GotoAsync(pageUrl + "/login");
        await page.FillAsync("#passphrase", Passphrase);
        await page.ClickAsync("#unlock");
        await page.WaitForURLAsync(pageUrl.ToString());
    }

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png") });

    public List<string> Lines()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }

    void IDevnetView.Step(string message)
    {
        lock (_lines)
        {
            _lines.Add(message);
        }
    }

    void IDevnetView.Tick(DevnetSnapshot snapshot)
    {
    }

    void IDevnetView.Finished(DevnetReport report)
    {
    }

    [GeneratedRegex(@"^(patient|doctor) page of \S+: (\S+) \(login link (\S+)\)$")]
    private static partial Regex PagePattern();
}
