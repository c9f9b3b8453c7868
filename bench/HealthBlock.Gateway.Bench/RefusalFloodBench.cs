using System.Diagnostics;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Ingest;
using HealthBlock.Gateway.Devices;
using HealthBlock.Gateway.Journal;
using HealthBlock.Gateway.Store;
using HealthBlock.Gateway.Keys;
using HealthBlock.Protocol.Frames;
using Microsoft.Extensions.Logging.Abstractions;

/// <summary>
/// A flood of forged frames (right device, wrong HMAC key) through the gateway's ingest with its alert path wired as
/// the gateway wires it — alert per refusal, MAC lookup in the kernel neighbour table, log sink, rate-limited SMTP
/// sink — beside the bare HMAC-verify rate over the same bytes. Shows what an attacker on the link costs the gateway.
/// </summary>
internal static class RefusalFloodBench
{
    public static async Task<int> RunAsync(int frames, int connections)
    {
        Console.WriteLine($"refusal flood: {frames} forged ECG frames over {connections} connections; processors visible: {Environment.ProcessorCount}");
        var folder = Path.Combine(Path.GetTempPath(), "hb-gw-flood-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var patient = IdentityKey.Generate();
            using var db = GatewayStore.Open(folder);
            var registry = new DeviceRegistry(db, SecretSealer.Open(db, patient));
            var device = registry.Pair(0xf100d);
            var forgedKey = DeviceMac.NewKey();
            var samples = Enumerable.Range(0, 250).Select(i => (short)(i * 7 % 2000)).ToArray();
            var encoded = new byte[frames][];
            for (var i = 0; i < frames; i++)
            {
                encoded[i] = new byte[FrameLayout.FrameSize(250, 32)];
                FrameWriter.Write(encoded[i], 0, FrameLayout.KindEcg, 0, device.Id, (uint)i, 1_764_000_000_000 + i, 250_000, samples, 0, 250, 0, new HmacFrameMac(forgedKey), 32);
            }

            var raw = Stopwatch.StartNew();
            var refusedRaw = 0;
            foreach (var frame in encoded)
            {
                refusedRaw += DeviceMac.Verify(device.Key, frame.AsSpan(0, frame.Length - 32), frame.AsSpan(frame.Length - 32)) ? 0 : 1;
            }

            raw.Stop();
            var rawRate = refusedRaw / raw.Elapsed.TotalSeconds;

            await using var journal = new FrameJournal(db, NullLogger.Instance);
            var topic = FrameIngestor.Topic(patient.Id.ToString(), device.Id, SensorKind.Ecg);

            // Pass 1: the refusal path alone. Pass 2: the same with the gateway's alert path wired.
            var bare = new FrameIngestor(patient.Id.ToString(), registry, journal, NullLogger.Instance);
            var (refusedBare, bareRate) = await FloodAsync(bare, topic, encoded, connections);

            var ingestor = new FrameIngestor(patient.Id.ToString(), registry, journal, NullLogger.Instance);
            var smtp = new SmtpAlertSink(new SmtpAlertOptions
            {
                Host = "127.0.0.1",
                Port = ClosedPort(),
                Tls = SmtpTlsMode.None,
                From = "gateway@clinic.test",
                To = ["security@clinic.test"],
                DisposeTimeout = TimeSpan.Zero,
            });
            await using var hub = new AlertHub([new LogAlertSink(NullLogger.Instance), smtp]);
            FrameAlerts.Wire(ingestor, hub, "gateway:bench", new NeighbourTable());
            var (refused, rate) = await FloodAsync(ingestor, topic, encoded, connections);
            var stats = smtp.Statistics;
            Console.WriteLine($"bare HMAC verify (refusing):                   {rawRate,12:N0} frames/s");
            Console.WriteLine($"ingest refusal, no alert path:                 {bareRate,12:N0} frames/s");
            Console.WriteLine($"ingest refusal + alert (log, MAC lookup, mail): {rate,11:N0} frames/s  ({hub.Count(AlertKind.FrameAuthenticationFailed)} alerts raised)");
            Console.WriteLine($"ratio (with alerts / without):                 {rate / bareRate,12:P1}");
            Console.WriteLine($"ratio (with alerts / bare verify):             {rate / rawRate,12:P1}");
            Console.WriteLine($"mail queue: {stats.Accepted:N0} accepted, {stats.Overflowed:N0} only counted (queue full), {stats.MailsSent} sent, {stats.SendFailures} failed (closed port)");
            refused += refusedBare - frames;
            return refused == frames ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(int Refused, double Rate)> FloodAsync(FrameIngestor ingestor, string topic, byte[][] encoded, int connections)
    {
        var refused = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var source = new FrameSource("attacker-" + c, "127.0.0.1:" + (40000 + c));
            for (var i = c; i < encoded.Length; i += connections)
            {
                if (!(await ingestor.IngestAsync(topic, encoded[i], source)).Accepted)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        }));
        clock.Stop();
        return (refused, refused / clock.Elapsed.TotalSeconds);
    }

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
