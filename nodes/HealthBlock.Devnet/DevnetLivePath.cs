using System.Collections.Concurrent;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HealthBlock.Doctor;
using HealthBlock.Doctor.Live;
using HealthBlock.Gateway.Live;
using HealthBlock.Gateway.Mqtt;
using MQTTnet.Server;

namespace HealthBlock.Devnet;

/// <summary>
/// The live path of a devnet run: one broker every gateway, wearable and doctor uses (an in-process MQTTnet broker, or
/// the external broker of <c>--mqtt</c>: inside devnet only, gateways share a broker process; a deployment keeps one
/// gateway and broker per patient), the gateways' and doctors' live options (the in-process broker speaks TLS only,
/// with a server certificate for 127.0.0.1 from a devnet CA made by <see cref="BrokerCertificates"/> in the run's
/// folder, and both sides validate it against that CA alone), and what the report needs from the doctors:
/// reading → doctor-node latency of each alarm, reading → commit latency of each alarm diagnosis, and counts by kind.
/// </summary>
internal sealed class DevnetLivePath : IAsyncDisposable
{
    private readonly MqttServer? _server;
    private readonly BrokerCertificates? _certificates;
    private readonly ConcurrentBag<double> _alarmLatencies = [];
    private readonly ConcurrentBag<double> _alarmCommitLatencies = [];
    private readonly ConcurrentDictionary<string, long> _committed = new(StringComparer.Ordinal);

    private DevnetLivePath(DevnetOptions options, Uri broker, MqttServer? server, BrokerCertificates? certificates, string? folder)
    {
        AuthorityFile = folder is null ? null : Path.Combine(folder, BrokerCertificates.CaCertificateFile);
        Broker = broker;
        _server = server;
        _certificates = certificates;
        Authority = certificates is null ? null : X509CertificateLoader.LoadCertificate(certificates.CaCertificateDer);
        Gateway = new LiveOptions { Period = options.IotPeriod };
        Doctor = new LiveAlarmOptions { Broker = broker, BrokerAuthority = Authority, SummaryPeriod = options.SummaryPeriod };
    }

    /// <summary>The shared broker (<c>mqtts://127.0.0.1:port</c> when in process).</summary>
    public Uri Broker { get; }

    /// <summary>The devnet CA the in-process broker's certificate chains to (null with an external <c>--mqtt</c> broker).</summary>
    public X509Certificate2? Authority { get; }

    /// <summary>The PEM file of <see cref="Authority"/>, which the gateways validate the shared broker against (null with an external broker).</summary>
    public string? AuthorityFile { get; }

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

    /// <summary>
    /// Starts the shared broker (unless <see cref="DevnetOptions.Mqtt"/> names one): TLS only on a loopback port, its CA
    /// and server certificate in <paramref name="folder"/>.
    /// </summary>
    public static async Task<DevnetLivePath> StartAsync(DevnetOptions options, string folder)
    {
        if (options.Mqtt != "embedded")
        {
            return new DevnetLivePath(options, new Uri(options.Mqtt), null, null, null);
        }

        Directory.CreateDirectory(folder);
        var certificates = BrokerCertificates.LoadOrCreate(folder, ["127.0.0.1"]);
        try
        {
            var factory = new MqttServerFactory();
            var serverOptions = factory.CreateServerOptionsBuilder()
                .WithoutDefaultEndpoint()
                .WithEncryptedEndpoint()
                .WithEncryptedEndpointPort(0)
                .WithEncryptedEndpointBoundIPAddress(IPAddress.Loopback)
                .WithEncryptionCertificate(certificates.Server)
                .WithEncryptionSslProtocol(SslProtocols.Tls12 | SslProtocols.Tls13)
                .WithMaxPendingMessagesPerClient(100_000)
                .Build();
            var server = factory.CreateMqttServer(serverOptions);
            await server.StartAsync().ConfigureAwait(false);
            return new DevnetLivePath(options, new Uri($"mqtts://127.0.0.1:{serverOptions.TlsEndpointOptions.Port}"), server, certificates, folder);
        }
        catch
        {
            certificates.Dispose();
            throw;
        }
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

        Authority?.Dispose();
        _certificates?.Dispose();
    }
}
