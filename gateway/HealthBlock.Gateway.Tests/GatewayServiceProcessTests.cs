using System.Net;
using System.Runtime.CompilerServices;
using HealthBlock.Accounting;
using HealthBlock.Crypto;
using HealthBlock.Devnet;
using MQTTnet.Protocol;

namespace HealthBlock.Gateway.Tests;

/// <summary>The real <c>healthblock gateway</c> process as a service: its metrics and health endpoints, and SIGTERM.</summary>
[Trait("Category", "Slow")]
public sealed class GatewayServiceProcessTests
{
    private const string Passphrase = "service-test";

    [Fact]
    public async Task The_running_gateway_serves_the_named_metrics_and_SIGTERM_drains_without_losing_an_acknowledged_frame()
    {
        using var temp = new TempFolder();
        await using var cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { RootDirectory = temp.Sub("ledger") });
        var ledger = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        var data = temp.Sub("gateway");
        var store = temp.Sub("store");
        using var patient = IdentityKey.Generate();
        var device = CrashSafetyTests.PrepareDataFolder(data, patient, 0x5e51ce, Passphrase);
        await CrashSafetyTests.RegisterAsync(cluster, ledger, patient);

        var acked = new List<byte[]>();
        using var stop = new CancellationTokenSource();
        var gateway = await GatewayProcess.StartAsync(data, ledger.HttpUrl, store, Passphrase);
        try
        {
            using (var bad = await GatewayWorld.ConnectDeviceAsync(device, "127.0.0.1", gateway.MqttPort))
            {
                var refused = await GatewayWorld.PublishAsync(bad, device.Topic(patient.Id.ToString()), [0xFF, 0x00]);
                Assert.Equal(MQTTnet.MqttClientPublishReasonCode.PayloadFormatInvalid, refused.ReasonCode);
            }

            var port = new StrongBox<int>(gateway.MqttPort);
            var publisher = Task.Run(() => CrashSafetyTests.PublishUntilStoppedAsync(device, patient.Id.ToString(), port, acked, stop.Token));
            using var http = new HttpClient { BaseAddress = gateway.HttpUrl };
            string metrics = "";
            await Eventually.WaitUntilAsync(
                async () => (metrics = await http.GetStringAsync("metrics")).Contains("healthblock_gateway_batches_committed_total", StringComparison.Ordinal),
                "a committed batch in /metrics",
                TimeSpan.FromSeconds(60));
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("readyz")).StatusCode);
            foreach (var name in new[]
            {
                "healthblock_gateway_frames_accepted_total{", "healthblock_gateway_journal_fsync_duration_seconds_bucket{",
                "healthblock_gateway_backlog{", "healthblock_gateway_batches_committed_frames_total{", "healthblock_gateway_devices_connected{",
            })
            {
                Assert.Contains(name, metrics, StringComparison.Ordinal);
            }

            Assert.Contains(metrics.Split('\n'), l => l.StartsWith("healthblock_gateway_frames_refused_total{", StringComparison.Ordinal) && l.Contains("reason=\"MalformedFrame\"", StringComparison.Ordinal));

            // systemd stops the service while the wearable streams: the gateway drains and exits 0.
            var exit = await gateway.TerminateAsync();
            Assert.True(exit == 0, gateway.Errors);
            Assert.DoesNotContain("   at ", gateway.Errors, StringComparison.Ordinal);
            await stop.CancelAsync();
            await publisher;
            Assert.True(CrashSafetyTests.Count(acked) > 0);

            gateway.Dispose();
            gateway = await GatewayProcess.StartAsync(data, ledger.HttpUrl, store, Passphrase);
            using var after = new HttpClient { BaseAddress = gateway.HttpUrl };
            await Eventually.WaitUntilAsync(async () => (await after.GetAsync("readyz")).IsSuccessStatusCode && Backlog(await after.GetStringAsync("metrics"), patient.Id.ToString()) == "0", "the backlog to drain after the restart", TimeSpan.FromSeconds(60));
        }
        finally
        {
            gateway.Dispose();
        }

        var committed = (await CrashSafetyTests.CommittedFramesAsync(ledger, patient, data, store)).Select(Convert.ToHexString).ToHashSet();
        Assert.DoesNotContain(acked.Select(Convert.ToHexString), a => !committed.Contains(a));
    }

    /// <summary>The value of the backlog gauge of <paramref name="patient"/> in Prometheus text, or null.</summary>
    private static string? Backlog(string metrics, string patient) => metrics.Split('\n')
        .Where(l => l.StartsWith("healthblock_gateway_backlog{", StringComparison.Ordinal) && l.Contains($"patient=\"{patient}\"", StringComparison.Ordinal))
        .Select(l => l[(l.IndexOf("} ", StringComparison.Ordinal) + 2)..].Split(' ')[0])
        .FirstOrDefault();
}
