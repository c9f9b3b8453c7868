using System.Diagnostics;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Ingest;
using HealthBlock.Gateway.Devices;
using HealthBlock.Gateway.Journal;
using HealthBlock.Gateway.Store;
using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Mqtt;
using HealthBlock.Protocol.Frames;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

/// <summary>
/// External-broker path: publishers → Mosquitto (QoS 1) → the gateway's persistent-session subscriber → journal.
/// Prints the rate at which the broker acknowledged frames, the rate at which the gateway journalled them, and
/// checks that every frame the broker acknowledged reached the journal (exit code 1 otherwise).
/// </summary>
internal static class ExternalBrokerBench
{
    public static async Task<int> RunAsync(Uri broker, int frames, int publishers)
    {
        Console.WriteLine($"external broker {broker}: {frames} ECG frames from {publishers} QoS 1 publishers");
        var folder = Path.Combine(Path.GetTempPath(), "hb-gw-mqtt-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var patient = IdentityKey.Generate();
            using var db = GatewayStore.Open(folder);
            var registry = new DeviceRegistry(db, SecretSealer.Open(db, patient));
            var devices = Enumerable.Range(0, publishers).Select(i => registry.Pair((ulong)(i + 1))).ToArray();
            await using var journal = new FrameJournal(db, NullLogger.Instance);
            var ingestor = new FrameIngestor(patient.Id.ToString(), registry, journal, NullLogger.Instance);
            await using var subscriber = new ExternalBrokerIngest(ingestor, ExternalBrokerLink.Plaintext(broker), patient.Id.ToString(), "bench-gateway-" + Guid.NewGuid().ToString("N")[..8], NullLogger.Instance);
            await subscriber.StartAsync();

            var samples = Enumerable.Range(0, 250).Select(i => (short)i).ToArray();
            var acked = 0L;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(devices.Select(async (d, index) =>
            {
                using var client = new MqttClientFactory().CreateMqttClient();
                await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(broker.Host, broker.Port).WithClientId($"bench-wearable-{index}-{Guid.NewGuid():N}").Build());
                var topic = FrameIngestor.Topic(patient.Id.ToString(), d.Id, SensorKind.Ecg);
                var mac = new HmacFrameMac(d.Key);
                var buffer = new byte[FrameLayout.FrameSize(250, 32)];
                for (var seq = 0; seq < frames / publishers; seq++)
                {
                    FrameWriter.Write(buffer, 0, FrameLayout.KindEcg, 0, d.Id, (uint)seq, 1_764_000_000_000 + seq, 250_000, samples, 0, 250, 0, mac, 32);
                    var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(buffer.ToArray()).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
                    if (result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers)
                    {
                        Interlocked.Increment(ref acked);
                    }
                }

                await client.DisconnectAsync();
            }));
            var publishTime = clock.Elapsed;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (ingestor.AcceptedCount < acked && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            var total = clock.Elapsed;
            Console.WriteLine($"broker acknowledged: {acked,10:N0} frames in {publishTime.TotalSeconds:F2} s = {acked / publishTime.TotalSeconds,10:N0} frames/s");
            Console.WriteLine($"gateway journalled:  {ingestor.AcceptedCount,10:N0} frames in {total.TotalSeconds:F2} s = {ingestor.AcceptedCount / total.TotalSeconds,10:N0} frames/s ({journal.Groups} fsync groups)");
            var lost = acked - ingestor.AcceptedCount;
            Console.WriteLine($"acknowledged by the broker but not journalled: {lost}");
            return lost == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
