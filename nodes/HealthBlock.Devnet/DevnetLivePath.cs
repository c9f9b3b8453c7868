using System.Collections.Concurrent;
using System.Net;
using HealthBlock.Doctor;
using HealthBlock.Doctor.Live;
using HealthBlock.Gateway.Live;
using MQTTnet.Server;

namespace HealthBlock.Devnet;

/// <summary>
/// The live path of a devnet run: one broker every gateway, wearable and doctor uses (an in-process MQTTnet broker, or
/// the external broker of <c>--mqtt</c>: inside devnet only, gateways share a broker process; a deployment keeps one
/// gateway and broker per patient), the gateways' and doctors' live options, and what the report needs from the doctors:
/// reading → doctor-node latency of each alarm, reading → commit latency of each alarm diagnosis, and counts by kind.
/// </summary>
internal sealed class DevnetLivePath : IAsyncDisposable
{
    private readonly MqttServer? _server;
    private readonly ConcurrentBag<double> _alarmLatencies = [];
    private readonly ConcurrentBag<double> _alarmCommitLatencies = [];
    private readonly ConcurrentDictionary<string, long> _committed = new(StringComparer.Ordinal);

    private DevnetLivePath(DevnetOptions options, Uri broker, MqttServer? server)
    {
        Broker = broker;
        _server = server;
        Gateway = new LiveOptions { Period = options.IotPeriod };
        Doctor = new LiveAlarmOptions { Broker = broker, SummaryPeriod = options.SummaryPeriod };
    }

    /// <summary>The shared broker.</summary>
    public Uri Broker { get; }

    /// <summary>The gateways' live options.</summary>
    public LiveOptions Gateway { get; }

    /// <summary>The doctors' live options.</summary>
    public LiveAlarmOptions Doctor { get; }

    /// <summary>Reading → doctor node, ms, of every alarm a doctor saw.</summary>
    public double[] AlarmLatencies => [.. _alarmLatencies];

    /// <summary>Reading → committed, ms, of every alarm diagnosis.</summary>
    public double[] AlarmCommitLatencies => [.. _alarmCommitLatencies];

    /// <summary>Where the alarms' latency goes, stage by stage.</summary>
    public AlarmStages Stages { get; } = new();

    /// <summary>Committed diagnoses of <paramref name="kind"/>.</summary>
    public long Committed(string kind) => _committed.GetValueOrDefault(kind);

    /// <summary>Starts the shared broker (unless <see cref="DevnetOptions.Mqtt"/> names one).</summary>
    public static async Task<DevnetLivePath> StartAsync(DevnetOptions options)
    {
        if (options.Mqtt != "embedded")
        {
            return new DevnetLivePath(options, new Uri(options.Mqtt), null);
        }

        var factory = new MqttServerFactory();
        var serverOptions = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(0)
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithMaxPendingMessagesPerClient(100_000)
            .Build();
        var server = factory.CreateMqttServer(serverOptions);
        await server.StartAsync().ConfigureAwait(false);
        return new DevnetLivePath(options, new Uri($"mqtt://127.0.0.1:{serverOptions.DefaultEndpointOptions.Port}"), server);
    }

    /// <summary>Records what <paramref name="doctor"/> sees and commits.</summary>
    public void Watch(DoctorNode doctor)
    {
        Stages.Watch(doctor);
        doctor.LiveAlarm += (_, a) => _alarmLatencies.Add(a.Latency.TotalMilliseconds);
        doctor.DiagnosisCommitted += (_, e) =>
        {
            _committed.AddOrUpdate(e.Kind, 1, (_, n) => n + 1);
            if (e.Kind == DiagnosisKinds.Alarm)
            {
                _alarmCommitLatencies.Add(e.Latency.TotalMilliseconds);
            }
        };
    }

    /// <summary>Bytes of every file under <paramref name="folder"/> (0 when it does not exist).</summary>
    public static long FolderBytes(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync().ConfigureAwait(false);
            _server.Dispose();
        }
    }
}
