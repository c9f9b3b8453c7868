using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;

namespace HealthBlock.Hosting.Tests;

public sealed class ServiceEndpointTests
{
    [Fact]
    public async Task The_listener_serves_health_readiness_and_the_named_meters_in_Prometheus_text()
    {
        using var meter = new Meter("HealthBlock.Hosting.Tests.Endpoint");
        var frames = meter.CreateCounter<long>("healthblock.test.frames.refused", description: "test counter");
        var ready = false;
        var health = new RoleHealth(() => HealthState.Healthy("running"), () => ready ? HealthState.Healthy("ledger reachable") : HealthState.Unhealthy("no ledger"));
        using var temp = new TempFolder();
        await using var listener = await ServiceListener.StartAsync("127.0.0.1:0", health, [meter.Name], urlFile: temp.Sub("service.url"));
        using var http = new HttpClient { BaseAddress = listener.Url };
        frames.Add(3, new KeyValuePair<string, object?>("reason", "bad_mac"));

        Assert.Equal(listener.Url, PrivateFile.ReadUrl(temp.Sub("service.url")));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
        var notReady = await http.GetAsync("readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal("unavailable: no ledger\n", await notReady.Content.ReadAsStringAsync());
        ready = true;
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("readyz")).StatusCode);
        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains("healthblock_test_frames_refused_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("reason=\"bad_mac\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listener_on_an_address_in_use_fails_in_one_line_naming_the_address()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var e = await Assert.ThrowsAsync<StartupFailedException>(() => ServiceListener.StartAsync($"127.0.0.1:{port}", RoleHealth.WhileRunning(() => true), []));

        Assert.Equal($"--service-listen: address 127.0.0.1:{port} is already in use (another process listens there)", e.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:18097", "--listen '127.0.0.1:18097' has no scheme: write http://127.0.0.1:18097")]
    [InlineData("ftp://127.0.0.1:1", "--listen 'ftp://127.0.0.1:1' is not an http(s) URL such as https://127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:1/api", "--listen 'http://127.0.0.1:1/api': a listen URL has no path")]
    public void Listen_urls_without_scheme_or_with_a_path_are_refused_in_one_line(string text, string message)
    {
        Assert.Equal(message, Assert.Throws<StartupFailedException>(() => ListenAddresses.ParseHttpUrl(text, "--listen")).Message);
    }
}
