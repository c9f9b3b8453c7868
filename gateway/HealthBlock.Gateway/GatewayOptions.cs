using System.Net;
using HealthBlock.Alerts;
using HealthBlock.Gateway.Batching;
using HealthBlock.Gateway.Gpio;
using HealthBlock.Gateway.Ingest;

namespace HealthBlock.Gateway;

/// <summary>How a gateway runs.</summary>
public sealed record GatewayOptions
{
    /// <summary>The data folder (database, keys).</summary>
    public required string DataFolder { get; init; }

    /// <summary>Port of the embedded broker (0 = chosen by the OS). Ignored with <see cref="ExternalBroker"/>.</summary>
    public int MqttPort { get; init; } = 1883;

    /// <summary>Address the embedded broker binds (default: all interfaces).</summary>
    public IPAddress? MqttBindAddress { get; init; }

    /// <summary>
    /// Serve MQTT in plaintext (readings readable on the network; frames stay authenticated). Off by default: the embedded
    /// broker speaks TLS with a certificate from the gateway's own CA (<see cref="Mqtt.BrokerCertificates"/>).
    /// </summary>
    public bool MqttPlaintext { get; init; }

    /// <summary>
    /// Host names and addresses devices dial, written into the broker's server certificate (null: localhost, the loopback
    /// addresses, the host name, <c>host.local</c> and <c>gateway.local</c>). Pairing for another host is refused.
    /// </summary>
    public IReadOnlyCollection<string>? MqttServerNames { get; init; }

    /// <summary>Bounds on the broker's listener.</summary>
    public Mqtt.MqttListenerLimits MqttLimits { get; init; } = new();

    /// <summary>
    /// An external broker to subscribe to instead of hosting one: <c>mqtts://host:port</c> (TLS, the gateway's own login,
    /// Mosquitto's files written to <see cref="MosquittoFolder"/>), or <c>mqtt://host:port</c> only with
    /// <see cref="MqttPlaintext"/>.
    /// </summary>
    public Uri? ExternalBroker { get; init; }

    /// <summary>
    /// The PEM CA certificate the external broker's certificate must chain to (null: the gateway's own CA, which issues
    /// the certificate written to <see cref="MosquittoFolder"/>). Pairing blobs carry it.
    /// </summary>
    public string? ExternalBrokerCa { get; init; }

    /// <summary>Where the Mosquitto files go with a TLS external broker (null: <c>mosquitto</c> in the data folder).</summary>
    public string? MosquittoFolder { get; init; }

    /// <summary>
    /// How often the ledger is asked whether an admin has registered the patient yet; the gateway starts its parts only
    /// once it has (it never registers itself).
    /// </summary>
    public TimeSpan RegistrationPollInterval { get; init; } = Keys.PatientRegistration.DefaultPollInterval;

    /// <summary>When true, newly paired devices stay pending until the pairing button is pressed.</summary>
    public bool RequirePairingButton { get; init; }

    /// <summary>Batching.</summary>
    public BatchOptions Batching { get; init; } = new();

    /// <summary>
    /// The live path: sealed live sub-batches published every second and one IoT transaction per period committing
    /// them; null publishes batches of frames (<see cref="Batching"/>) without a live path.
    /// </summary>
    public Live.LiveOptions? Live { get; init; }

    /// <summary>GPIO pins; null disables GPIO.</summary>
    public GpioOptions? Gpio { get; init; } = new();

    /// <summary>E-mail for tamper alerts (rate-limited); null: alerts are logged (and lit on the alert LED) only.</summary>
    public SmtpAlertOptions? AlertEmail { get; init; }

    /// <summary>
    /// The kernel's IPv4 neighbour table, read to name the MAC address of a client on the gateway's network in its
    /// alerts (see <see cref="NeighbourTable"/>); null never looks MAC addresses up.
    /// </summary>
    public string? NeighbourTablePath { get; init; } = NeighbourTable.DefaultPath;

    /// <summary>
    /// Port of the admin endpoint on 127.0.0.1 (0 = chosen by the OS; its URL is written to <c>admin.url</c> in the data
    /// folder); null runs no admin endpoint.
    /// </summary>
    public int? AdminPort { get; init; } = 0;

    /// <summary>Cohort statistics contributions (issue 20), or null (the default) for none.</summary>
    public Statistics.StatisticsOptions? Statistics { get; init; }

    /// <summary>The clock every part of the gateway reads.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The patient page (<c>--web</c>): served on its own loopback listener when set; see docs/web.md.</summary>
    public HealthBlock.Web.PatientPageOptions? Web { get; init; }
}
