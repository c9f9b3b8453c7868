using System.Diagnostics;
using System.Net;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Devices;
using HealthBlock.Gateway.Ingest;
using HealthBlock.Gateway.Journal;
using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Mqtt;
using HealthBlock.Gateway.Store;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Pairing;
using HealthBlock.Wearable.Simulation.Wearable;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

/// <summary>
/// The embedded broker with TLS beside the same broker in plaintext, in one run and over one journal: QoS 1 ECG frames
/// from P devices (MQTT CONNECT with the device's credentials, TLS 1.2 against the gateway CA as a wearable dials), in
/// alternating rounds; then W wearables connecting at once (a gateway restart: every wearable reconnects), TLS
/// handshake + CONNECT + login per second, beside the plaintext figure.
/// </summary>
internal static class TlsIngestBench
{
    public static async Task<int> RunAsync(int frames, int publishers, int wearables)
    {
        Console.WriteLine($"embedded broker, TLS vs plaintext: {frames} ECG frames (564 bytes) per round from {publishers} QoS 1 publishers; {wearables} wearables reconnecting at once; processors visible: {Environment.ProcessorCount}");
        var folder = Path.Combine(Path.GetTempPath(), "hb-gw-tls-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(folder);
            using var patient = IdentityKey.Generate();
            using var db = GatewayStore.Open(folder);
            var registry = new DeviceRegistry(db, SecretSealer.Open(db, patient));
            var count = Math.Max(publishers, wearables);
            var devices = Enumerable.Range(0, count).Select(i => registry.Pair((ulong)(i + 1))).ToArray();
            using var certificates = BrokerCertificates.LoadOrCreate(folder, ["127.0.0.1"]);
            await using var journal = new FrameJournal(db, NullLogger.Instance);
            var ingestor = new FrameIngestor(patient.Id.ToString(), registry, journal, NullLogger.Instance);
            var limits = new MqttListenerLimits { MaxConnections = count + 64, MaxConnectionsPerAddress = count + 64, PublishesPerSecond = 1_000_000, PublishBurst = 1_000_000, HandshakeTimeout = TimeSpan.FromSeconds(60) };
            using var counters = new LimitAlerts(null, "bench", TimeSpan.FromSeconds(30));
            var tls = DeviceUplinkOptions.Tls(certificates.CaCertificateDer, certificates.ServerNames);
            var sequence = new uint[count];

            var ingest = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };
            for (var round = 0; round < 4; round++)
            {
                var encrypted = round % 2 == 1;
                await using var broker = await StartAsync(ingestor, encrypted ? certificates : null, registry, limits, counters);
                var uplink = encrypted ? tls : DeviceUplinkOptions.Plaintext;
                ingest[encrypted].Add(await PublishAsync(broker.Port, devices[..publishers], uplink, patient.Id.ToString(), frames / publishers, sequence));
            }

            var reconnect = new Dictionary<bool, double>();
            foreach (var encrypted in new[] { false, true })
            {
                await using var broker = await StartAsync(ingestor, encrypted ? certificates : null, registry, limits, counters);
                reconnect[encrypted] = await ConnectAllAsync(broker.Port, devices[..wearables], encrypted ? tls : DeviceUplinkOptions.Plaintext);
            }

            var plain = ingest[false].Max();
            var secure = ingest[true].Max();
            Console.WriteLine($"ingest, plaintext:       {plain,10:N0} frames/s  (rounds: {string.Join(", ", ingest[false].Select(r => r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))})");
            Console.WriteLine($"ingest, TLS 1.2:         {secure,10:N0} frames/s  (rounds: {string.Join(", ", ingest[true].Select(r => r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))})");
            Console.WriteLine($"ratio TLS / plaintext:   {secure / plain,10:P1}  (target >= 80 %)");
            Console.WriteLine($"{wearables} reconnecting, plaintext: {reconnect[false],10:N0} connects/s");
            Console.WriteLine($"{wearables} reconnecting, TLS:       {reconnect[true],10:N0} handshakes/s (TLS 1.2 + CONNECT + password check)");
            Console.WriteLine($"limit hits: {string.Join(", ", Enum.GetValues<ListenerLimit>().Select(l => $"{l}={counters.Total(l)}"))}");
            return secure / plain >= 0.8 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<EmbeddedBroker> StartAsync(FrameIngestor ingestor, BrokerCertificates? certificates, DeviceRegistry registry, MqttListenerLimits limits, LimitAlerts counters)
    {
        var broker = new EmbeddedBroker(ingestor, 0, IPAddress.Loopback, NullLogger.Instance, new BrokerGuards(certificates?.Server, registry.CheckLogin, limits, counters));
        await broker.StartAsync();
        return broker;
    }

    /// <summary>Frames per second acknowledged by the broker (each after the journal's fsync).</summary>
    private static async Task<double> PublishAsync(int port, DeviceEntry[] devices, DeviceUplinkOptions uplink, string patient, int perDevice, uint[] sequence)
    {
        var samples = Enumerable.Range(0, 250).Select(i => (short)(i * 7 % 2000)).ToArray();
        var clients = await Task.WhenAll(devices.Select(d => ConnectAsync(port, d, uplink)));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(devices.Select(async (d, index) =>
        {
            var topic = FrameIngestor.Topic(patient, d.Id, SensorKind.Ecg);
            var mac = new HmacFrameMac(d.Key);
            for (var i = 0; i < perDevice; i++)
            {
                var frame = new byte[FrameLayout.FrameSize(250, 32)];
                var seq = sequence[index]++;
                FrameWriter.Write(frame, 0, FrameLayout.KindEcg, 0, d.Id, seq, 1_764_000_000_000 + seq, 250_000, samples, 0, 250, 0, mac, 32);
                var ack = await clients[index].PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(frame).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
                if (ack.ReasonCode != MqttClientPublishReasonCode.Success)
                {
                    throw new InvalidOperationException($"frame refused: {ack.ReasonCode} {ack.ReasonString}");
                }
            }
        }));
        var rate = devices.Length * perDevice / clock.Elapsed.TotalSeconds;
        foreach (var client in clients)
        {
            await client.DisconnectAsync();
            client.Dispose();
        }

        return rate;
    }

    /// <summary>Every device connects at the same moment; connections (handshake, CONNECT, login) per second until the last one is in.</summary>
    private static async Task<double> ConnectAllAsync(int port, DeviceEntry[] devices, DeviceUplinkOptions uplink)
    {
        var clock = Stopwatch.StartNew();
        var clients = await Task.WhenAll(devices.Select(d => Task.Run(() => ConnectAsync(port, d, uplink))));
        var rate = devices.Length / clock.Elapsed.TotalSeconds;
        await Task.WhenAll(clients.Select(async c =>
        {
            await c.DisconnectAsync();
            c.Dispose();
        }));
        return rate;
    }

    private static async Task<IMqttClient> ConnectAsync(int port, DeviceEntry device, DeviceUplinkOptions uplink)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var security = uplink.ForDevice(device).ToSecurity();
        var options = DeviceTlsOptions.Builder("127.0.0.1", port, "bench-" + device.MqttUsername, security).WithTimeout(TimeSpan.FromSeconds(60)).Build();
        var result = await client.ConnectAsync(options);
        return result.ResultCode == MqttClientConnectResultCode.Success ? client : throw new InvalidOperationException($"connect refused: {result.ResultCode}");
    }
}
