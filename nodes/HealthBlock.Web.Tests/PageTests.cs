using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using HealthBlock.Analysis;
using HealthBlock.Crypto;
using HealthBlock.TestSupport;
using Microsoft.Playwright;

namespace HealthBlock.Web.Tests;

/// <summary>The patient and doctor pages of a running devnet, driven in chromium.</summary>
[Trait("Category", "Browser")]
public sealed class PageTests(PageWorld world) : IClassFixture<PageWorld>
{
    [BrowserFact]
    public async Task A_wrong_passphrase_is_refused_and_the_right_one_opens_the_patient_page()
    {
        var page = await world.NewPageAsync();
        var patient = world.PatientPages[0];
        await page.GotoAsync(patient.ToString());
        Assert.Contains("/patient/login", page.Url, StringComparison.Ordinal);

        await page.FillAsync("#passphrase", "not the passphrase");
        await page.ClickAsync("#unlock");
        Assert.Contains("does not open this key file", await page.Locator("#refusal").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#devices").CountAsync());

        await page.FillAsync("#passphrase", PageWorld.Passphrase);
        await page.ClickAsync("#unlock");
        await page.WaitForURLAsync(patient.ToString());
        Assert.Equal(2, await page.Locator("#devices tr").CountAsync());
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name.StartsWith("hb-patient-", StringComparison.Ordinal));
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
    }

    [BrowserFact]
    public async Task A_login_post_without_the_antiforgery_token_is_refused()
    {
        using var http = new HttpClient();
        var form = new FormUrlEncodedContent([new("passphrase", PageWorld.Passphrase)]);
        var answer = await http.PostAsync(new Uri(world.PatientPages[0] + "/login"), form);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.DoesNotContain(answer.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("hb-patient-", StringComparison.Ordinal)));
    }

    [BrowserFact]
    public async Task The_live_strip_holds_ten_seconds_of_samples_and_marks_exactly_the_detectors_R_peaks()
    {
        var page = await world.NewPageAsync();
        await PageWorld.LogInAsync(page, world.PatientPages[0]);
        JsonElement strip = default;
        await Eventually.WaitUntilAsync(
            async () =>
            {
                strip = await page.EvaluateAsync<JsonElement>("""
                    () => { const el = document.querySelector('#live-ecg');
                            if (!el.hbPlot) return null;
                            return { x: el.hbPlot.data[0], mv: el.hbData.millivolts, marks: el.hbPlot.data[2], peaks: el.hbData.rPeakSeconds, hz: el.hbData.samplingHz }; }
                    """);
                return strip.ValueKind == JsonValueKind.Object && strip.GetProperty("mv").EnumerateArray().Count(v => v.ValueKind == JsonValueKind.Number) >= 2000;
            },
            "a live strip with at least 8 s of ECG",
            TimeSpan.FromSeconds(120));

        var x = strip.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(250, strip.GetProperty("hz").GetDouble());
        Assert.Equal(10 * 250, x.Length);

        // The detector, run here on the very samples the page plotted (gaps as NaN, as the server does).
        var samples = strip.GetProperty("mv").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN).ToArray();
        var detected = EcgAnalyzer.Analyze(samples, 250).RPeaks;
        Assert.True(detected.Count >= 5, $"only {detected.Count} R peaks in 10 s of recorded ECG");
        var marked = strip.GetProperty("marks").EnumerateArray().Select((v, i) => (v, i)).Where(p => p.v.ValueKind == JsonValueKind.Number).Select(p => p.i).ToArray();
        Assert.Equal(detected, marked);
        await world.ScreenshotAsync(page, "patient-page");
    }

    [BrowserFact]
    public async Task The_patient_page_lists_the_doctors_diagnoses_with_their_findings()
    {
        var page = await world.NewPageAsync();
        await PageWorld.LogInAsync(page, world.PatientPages[0]);
        await Eventually.WaitUntilAsync(
            async () =>
            {
                await page.ReloadAsync();
                return await page.Locator("#diagnoses ul.findings li").CountAsync() > 0;
            },
            "a diagnosis with findings on the patient page",
            TimeSpan.FromSeconds(120));
        var firstDoctor = await page.Locator("#diagnoses tr:nth-child(2) td:nth-child(2) code").TextContentAsync();
        var doctors = await page.Locator("#doctors tr[data-doctor]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.doctor)");
        Assert.Contains(doctors, d => d.StartsWith(firstDoctor!, StringComparison.Ordinal));
        Assert.Contains("diagnosis", await page.Locator("#trail").TextContentAsync(), StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task Another_patients_page_and_a_patient_who_never_granted_the_doctor_are_refused()
    {
        var page = await world.NewPageAsync();
        await PageWorld.LogInAsync(page, world.PatientPages[0]);
        await page.GotoAsync(world.PatientPages[1].ToString());
        Assert.Contains("/patient/login", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#devices").CountAsync());

        await PageWorld.LogInAsync(page, world.DoctorPages[0]);
        using var stranger = IdentityKey.Generate();
        var refused = await page.GotoAsync($"{world.DoctorPages[0]}/patient?id={stranger.Id}");
        Assert.Equal(403, refused!.Status);
        Assert.Contains("has not granted", await page.Locator("#access-refused").TextContentAsync(), StringComparison.Ordinal);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var api = await page.APIRequest.GetAsync($"{world.DoctorPages[0]}/api/ecg?patient={stranger.Id}&device=4842000000000001&from={now - 60_000}&to={now}");
        Assert.Equal(403, api.Status);
    }

    [BrowserFact]
    public async Task The_doctor_page_shows_a_finding_on_its_strip_with_the_span_marked()
    {
        var page = await world.NewPageAsync();
        await PageWorld.LogInAsync(page, world.DoctorPages[0]);
        Assert.Equal(2, await page.Locator("#patients tr[data-patient]").CountAsync());
        await page.Locator("#patients a").First.ClickAsync();
        // The finding's batches are opened from the store once the page has indexed them: reload until the strip is drawn
        // with samples.
        await Eventually.WaitUntilAsync(
            async () =>
            {
                await page.ReloadAsync();
                if (await page.Locator(".strip").CountAsync() == 0)
                {
                    return false;
                }

                await page.WaitForSelectorAsync(".strip[data-points]");
                return int.TryParse(await page.Locator(".strip").First.GetAttributeAsync("data-points"), out var drawn) && drawn > 0;
            },
            "a finding with an evidence span and its samples on the doctor page",
            TimeSpan.FromSeconds(120));
        var strip = page.Locator(".strip").First;
        var from = long.Parse((await strip.GetAttributeAsync("data-span-from"))!, System.Globalization.CultureInfo.InvariantCulture);
        var to = long.Parse((await strip.GetAttributeAsync("data-span-to"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(to >= from, $"span {from}..{to}");
        var x = await strip.EvaluateAsync<double[]>("el => el.hbPlot.data[0]");
        Assert.True(x.Length > 0, "the strip holds no samples");
        Assert.True(x[0] * 1000 <= from + 1 && x[^1] * 1000 >= to - 5, $"strip {x[0]}..{x[^1]} does not cover the span {from}..{to}");
        await world.ScreenshotAsync(page, "doctor-page");
    }

    [BrowserFact]
    public async Task Revoking_then_granting_a_doctor_from_the_page_commits_two_key_transactions_shown_in_the_trail()
    {
        var page = await world.NewPageAsync();
        await PageWorld.LogInAsync(page, world.PatientPages[1]);
        var row = page.Locator("#doctors tr[data-doctor]").Last;
        var doctor = (await row.GetAttributeAsync("data-doctor"))!;

        await row.Locator("button.revoke").ClickAsync();
        Assert.Contains("Revoke doctor", await page.Locator("#confirm").TextContentAsync(), StringComparison.Ordinal);
        await page.ClickAsync("#confirm-yes");
        var revoke = (await page.Locator("#committed .txid").TextContentAsync())!;
        Assert.Equal("revoked", await page.Locator($"#doctors tr[data-doctor='{doctor}'] td:nth-child(2)").TextContentAsync());

        await page.Locator($"#doctors tr[data-doctor='{doctor}'] button.grant").ClickAsync();
        await page.ClickAsync("#confirm-yes");
        var grant = (await page.Locator("#committed .txid").TextContentAsync())!;
        Assert.NotEqual(revoke, grant);
        Assert.Equal("granted", await page.Locator($"#doctors tr[data-doctor='{doctor}'] td:nth-child(2)").TextContentAsync());
        Assert.Equal("key", await page.Locator($"#trail tr#tx-{revoke} td:nth-child(2)").TextContentAsync());
        Assert.Equal("key", await page.Locator($"#trail tr#tx-{grant} td:nth-child(2)").TextContentAsync());
    }

    [BrowserFact]
    public async Task The_served_plot_library_is_the_recorded_uPlot_release()
    {
        using var http = new HttpClient();
        var served = await http.GetByteArrayAsync(new Uri(world.PatientPages[0], "/assets/uplot/uPlot.iife.min.js"));
        var sums = await File.ReadAllLinesAsync(RepositoryFiles.InRepository("shared", "HealthBlock.Web", "wwwroot", "lib", "uplot", "SHA256SUMS"));
        var recorded = sums.Single(l => l.EndsWith("  uPlot.iife.min.js", StringComparison.Ordinal))[..64];
        Assert.Equal(recorded, Convert.ToHexStringLower(SHA256.HashData(served)));
    }
}
