// Gateway ingest benchmark: frames per second through HMAC verify + journal (fsync, group commit) + AES-GCM
// batch encryption + content store put, beside the raw HMAC + AES-GCM rate over the same bytes, in the same run.
// Run on one core:  taskset -c 0 dotnet run -c Release --project bench/HealthBlock.Gateway.Bench -- [--frames N] [--devices D]
// A flood of forged frames through the refusal and alert path: … -- --forged N [--connections C]
// MQTT ingest with TLS beside plaintext, and TLS handshakes/s of W wearables reconnecting at once: … -- --tls [--frames N] [--publishers P] [--wearables W]
using System.Diagnostics;
using System.Security.Cryptography;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Ingest;
using HealthBlock.Gateway.Devices;
using HealthBlock.Gateway.Journal;
using HealthBlock.Gateway.Store;
using HealthBlock.Gateway.Keys;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

if (Array.IndexOf(args, "--mqtt") is var m and >= 0 && m + 1 < args.Length)
{
    return await ExternalBrokerBench.RunAsync(new Uri(args[m + 1]), Arg("--frames", 20_000), Arg("--publishers", 8));
}

if (Array.IndexOf(args, "--tls") >= 0)
{
    return await TlsIngestBench.RunAsync(Arg("--frames", 20_000), Arg("--publishers", 20), Arg("--wearables", 1_000));
}

if (Array.IndexOf(args, "--forged") >= 0)
{
    return await RefusalFloodBench.RunAsync(Arg("--forged", 100_000), Arg("--connections", 8));
}

var frames = Arg("--frames", 50_000);
var devices = Arg("--devices", 100);
var batchFrames = Arg("--batch-frames", 1_000);
Console.WriteLine($"gateway ingest benchmark: {frames} ECG frames (250 samples, 564 bytes) from {devices} devices; processors visible: {Environment.ProcessorCount}");

var folder = Path.Combine(Path.GetTempPath(), "hb-gw-bench-" + Guid.NewGuid().ToString("N"));
try
{
    using var patient = IdentityKey.Generate();
    using var db = GatewayStore.Open(Path.Combine(folder, "gateway"));
    var sealer = SecretSealer.Open(db, patient);
    var registry = new DeviceRegistry(db, sealer);
    var senders = Enumerable.Range(0, devices).Select(i => registry.Pair((ulong)(i + 1))).ToArray();
    var samples = Enumerable.Range(0, 250).Select(i => (short)(i * 7 % 2000)).ToArray();
    var encoded = new byte[frames][];
    for (var i = 0; i < frames; i++)
    {
        var d = senders[i % devices];
        encoded[i] = new byte[FrameLayout.FrameSize(250, 32)];
        FrameWriter.Write(encoded[i], 0, FrameLayout.KindEcg, 0, d.Id, (uint)(i / devices), 1_764_000_000_000 + i, 250_000, samples, 0, 250, 0, new HmacFrameMac(d.Key), 32);
    }

    // Raw ceiling: verify each frame's HMAC and AES-GCM-encrypt the same bytes, one thread.
    var iotKey = Aead.NewKey();
    var raw = Stopwatch.StartNew();
    using (var gcm = new AesGcm(iotKey, 16))
    {
        var nonce = new byte[12];
        var tag = new byte[16];
        var output = new byte[encoded[0].Length];
        for (var i = 0; i < frames; i++)
        {
            var key = senders[i % devices].Key;
            var frame = encoded[i];
            if (!DeviceMac.Verify(key, frame.AsSpan(0, frame.Length - 32), frame.AsSpan(frame.Length - 32)))
            {
                throw new InvalidOperationException("bad frame");
            }

            gcm.Encrypt(nonce, frame, output, tag);
        }
    }

    raw.Stop();
    var rawRate = frames / raw.Elapsed.TotalSeconds;

    // Our pipeline: decode + verify + journal (group commit, fsync) from concurrent device connections, then seal
    // batches (AES-GCM) and put them in the embedded store (fsync).
    await using var journal = new FrameJournal(db, NullLogger.Instance);
    var ingestor = new FrameIngestor(patient.Id.ToString(), registry, journal, NullLogger.Instance);
    var topics = senders.Select(d => FrameIngestor.Topic(patient.Id.ToString(), d.Id, SensorKind.Ecg)).ToArray();
    var store = new EmbeddedContentStore(Path.Combine(folder, "store"));
    var pipeline = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, devices).Select(async d =>
    {
        var source = new FrameSource("bench-" + d, "127.0.0.1");
        for (var i = d; i < frames; i += devices)
        {
            var result = await ingestor.IngestAsync(topics[d], encoded[i], source);
            if (!result.Accepted)
            {
                throw new InvalidOperationException($"frame {i} refused: {result.Detail}");
            }
        }
    }));
    var ingestTime = pipeline.Elapsed;
    ulong batchNumber = 0;
    for (var start = 0; start < frames; start += batchFrames)
    {
        var batch = new IotBatch(patient.Id, 1, ++batchNumber, encoded.Skip(start).Take(batchFrames).ToArray());
        await store.PutAsync(batch.Seal(iotKey));
    }

    pipeline.Stop();
    var rate = frames / pipeline.Elapsed.TotalSeconds;

    // The journal's at-rest sealing alone (docs/security.md G7): each frame sealed under the local key as the journal
    // writes it and opened as a reader reads it, one thread, beside the raw rate above.
    var atRest = Stopwatch.StartNew();
    for (var i = 0; i < frames; i++)
    {
        var label = $"frame:{senders[i % devices].Id:x16}:1:{i / devices}";
        if (sealer.Open(sealer.Seal(encoded[i], label), label).Length != encoded[i].Length)
        {
            throw new InvalidOperationException("the at-rest seal did not round-trip");
        }
    }

    atRest.Stop();
    Console.WriteLine($"raw HMAC verify + AES-GCM over the same bytes: {rawRate,12:N0} frames/s");
    Console.WriteLine($"verify + journal + encrypt + store:           {rate,12:N0} frames/s  (ingest {ingestTime.TotalMilliseconds:N0} ms, {journal.Groups} fsync groups, seal+store {(pipeline.Elapsed - ingestTime).TotalMilliseconds:N0} ms)");
    Console.WriteLine($"at-rest seal + open of each journalled frame:  {frames / atRest.Elapsed.TotalSeconds,12:N0} frames/s  ({atRest.Elapsed.TotalMilliseconds * 1000 / frames:N1} µs a frame)");
    Console.WriteLine($"ratio (pipeline / raw):                        {rate / rawRate,12:P1}");
}
finally
{
    Directory.Delete(folder, recursive: true);
}

return 0;

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}
