using System.Runtime.CompilerServices;
using System.Net;
using System.Net.Sockets;
using HealthBlock.Devnet;
using HealthBlock.Accounting;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Devices;
using HealthBlock.Gateway.Store;
using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Mqtt;
using HealthBlock.Wearable.Simulation.Wearable;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace HealthBlock.Gateway.Tests;

[Trait("Category", "Slow")]
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    private const string Passphrase = "crash-test";

    /// <summary>Kill rounds: a short run here; the fault suite in bench/ runs longer.</summary>
    private static int Rounds => int.TryParse(Environment.GetEnvironmentVariable("HEALTHBLOCK_CRASH_ROUNDS"), out var n) ? n : 5;

    [Fact]
    public async Task Every_acknowledged_frame_ends_up_in_exactly_one_committed_batch_across_sigkills()
    {
        using var temp = new TempFolder();
        await using var cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { RootDirectory = temp.Sub("ledger") });
        var ledger = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        var data = temp.Sub("gateway");
        var store = temp.Sub("store");
        using var patient = IdentityKey.Generate();
        var device = PrepareDataFolder(data, patient, 0xc0ffee, Passphrase);
        await RegisterAsync(cluster, ledger, patient);

        var acked = new List<byte[]>();
        using var stop = new CancellationTokenSource();
        var gateway = await GatewayProcess.StartAsync(data, ledger.HttpUrl, store, Passphrase);
        // Each start binds a new port chosen by the OS; the wearable reconnects to whichever one is current.
        var port = new StrongBox<int>(gateway.MqttPort);
        var publisher = Task.Run(() => PublishUntilStoppedAsync(device, patient.Id.ToString(), port, acked, stop.Token));
        var random = new Random(12345);
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                await Task.Delay(random.Next(200, 1200));
                gateway.Kill();
                output.WriteLine($"round {round}: killed with {Count(acked)} frames acknowledged so far");
                gateway.Dispose();
                gateway = await GatewayProcess.StartAsync(data, ledger.HttpUrl, store, Passphrase);
                Volatile.Write(ref port.Value, gateway.MqttPort);
            }

            await Task.Delay(500);
            await stop.CancelAsync();
            await publisher;
            using var db = GatewayStore.Open(data);
            await Eventually.WaitUntilAsync(() => db.Backlog() == 0, "the backlog to drain", TimeSpan.FromSeconds(60));
        }
        finally
        {
            gateway.Dispose();
        }

        var committed = await CommittedFramesAsync(ledger, patient, data, store);
        var ackedHex = acked.Select(Convert.ToHexString).ToList();
        var committedHex = committed.Select(Convert.ToHexString).ToList();
        output.WriteLine($"{Rounds} kills: {ackedHex.Count} frames acknowledged, {committedHex.Count} committed");

        Assert.True(ackedHex.Count > 0);
        Assert.Equal(committedHex.Count, committedHex.Distinct().Count());
        Assert.Empty(ackedHex.Except(committedHex));
    }

    /// <summary>The admin registers the patient: the ledger answers the reads of registered identities only.</summary>
    internal static async Task RegisterAsync(LocalCluster cluster, ILedger ledger, IdentityKey patient)
    {
        var admin = new TransactionSigner(cluster.Admin, cluster.Genesis.NetworkId);
        await ledger.SubmitAndWaitAsync(admin.Sign(RegisterPayload.For(patient.Public, Role.Patient, "patient")), TimeSpan.FromSeconds(30));
    }

    /// <summary>A gateway data folder with the patient's key file (under <paramref name="passphrase"/>) and one paired device.</summary>
    internal static TestDevice PrepareDataFolder(string data, IdentityKey patient, ulong deviceId, string passphrase)
    {
        Directory.CreateDirectory(data);
        KeyFile.Write(Path.Combine(data, "patient.key"), patient, "patient", passphrase, iterations: 10_000);
        using var db = GatewayStore.Open(data);
        var entry = new DeviceRegistry(db, SecretSealer.Open(db, patient)).Pair(deviceId);
        using var ca = BrokerCertificates.LoadOrCreateAuthority(data);
        return new TestDevice(entry.Id, entry.Key, DeviceUplinkOptions.Tls(ca.CertificateDer, null).ForDevice(entry).ToSecurity());
    }

    internal static int Count(List<byte[]> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    internal static async Task PublishUntilStoppedAsync(TestDevice device, string patient, StrongBox<int> port, List<byte[]> acked, CancellationToken stop)
    {
        var factory = new MqttClientFactory();
        using var client = factory.CreateMqttClient();
        byte[]? pending = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!client.IsConnected)
                {
                    var options = DeviceTlsOptions.Builder("127.0.0.1", Volatile.Read(ref port.Value), "crash-wearable", device.Security).WithTimeout(TimeSpan.FromSeconds(5)).Build();
                    await client.ConnectAsync(options, stop);
                }

                pending ??= device.Ecg();
                var message = new MqttApplicationMessageBuilder().WithTopic(device.Topic(patient)).WithPayload(pending).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                var result = await client.PublishAsync(message, stop);
                if (result.ReasonCode == MqttClientPublishReasonCode.Success)
                {
                    lock (acked)
                    {
                        acked.Add(pending);
                    }

                    pending = null;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException or SocketException)
            {
                // The gateway died: keep the unacknowledged frame and send it again, as the firmware does.
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }

    internal static async Task<List<byte[]>> CommittedFramesAsync(ILedger ledger, IdentityKey patient, string data, string storeFolder)
    {
        using var db = GatewayStore.Open(data);
        var keys = new PatientKeyManager(db, SecretSealer.Open(db, patient), new LedgerSubmitter(patient, TestNetwork.Of(ledger), new StoreNonceCounter(db), ledger), ledger, NullLogger.Instance);
        var store = new EmbeddedContentStore(storeFolder);
        var frames = new List<byte[]>();
        var batches = new HashSet<ulong>();
        foreach (var t in await ledger.GetTransactionsForAsync(patient.Id, ChainId.Userchain, 0, 100_000))
        {
            if (t.Transaction.Body.Payload is IotPayload p)
            {
                Assert.True(batches.Add(p.Batch), $"batch {p.Batch} published twice");
                var key = keys.Epoch(p.Epoch) ?? throw new InvalidOperationException($"no key for epoch {p.Epoch}");
                frames.AddRange(IotBatch.Open(await store.GetAsync(p.Cid), key.IotKey, patient.Id, p.Epoch, p.Batch).Frames);
            }
        }

        return frames;
    }
}
