using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HealthBlock.Crypto;

namespace HealthBlock.Gateway.Mqtt;

/// <summary>
/// What a Mosquitto operator needs to put the gateway's devices behind Mosquitto the way the embedded broker serves
/// them (docs/deployment.md): <c>mosquitto.conf</c>, a <c>password_file</c> in mosquitto_passwd(1)'s format (one
/// <c>user:$7$…</c> line per paired device and one for the gateway), an <c>acl_file</c> (mosquitto.conf(5): each device
/// may only publish its own topics <c>hb/&lt;patient&gt;/&lt;device&gt;/+</c>, the gateway reads them all and publishes its
/// live path), and the TLS files (<c>ca.crt</c>, <c>server.crt</c>, <c>server.key</c>) made by the gateway's CA. The running
/// gateway writes the folder at start and again after every pairing and unpairing; Mosquitto reads password and ACL
/// files again on SIGHUP. Every file is replaced atomically and readable by its owner only: the generated
/// configuration runs Mosquitto as the gateway's user (<c>user</c>), so it can read them.
/// </summary>
/// <param name="Folder">Where the files go.</param>
/// <param name="Port">The TLS port Mosquitto listens on.</param>
/// <param name="Limits">The listener bounds the embedded broker applies (connections, packet size).</param>
/// <param name="LivePath">True when the gateway publishes live sub-batches through Mosquitto (their packets may exceed a frame's).</param>
public sealed record MosquittoConfiguration(string Folder, int Port, MqttListenerLimits Limits, bool LivePath)
{
    /// <summary>The broker configuration file.</summary>
    public const string ConfigFile = "mosquitto.conf";

    /// <summary>The password file (mosquitto_passwd format).</summary>
    public const string PasswordFile = "password_file";

    /// <summary>The ACL file.</summary>
    public const string AclFile = "acl_file";

    /// <summary>Where Mosquitto writes its pid (<c>pid_file</c>), so the gateway can send it SIGHUP after a pairing.</summary>
    public const string PidFile = "mosquitto.pid";

    /// <summary>The gateway CA's certificate (Mosquitto's <c>cafile</c>).</summary>
    public const string CaFile = "ca.crt";

    /// <summary>The server certificate (Mosquitto's <c>certfile</c>).</summary>
    public const string CertificateFile = "server.crt";

    /// <summary>The server key (Mosquitto's <c>keyfile</c>).</summary>
    public const string KeyFile = "server.key";

    /// <summary>Writes every file.</summary>
    /// <param name="patient">The patient whose topics these are.</param>
    /// <param name="certificates">The gateway's CA and the server certificate it issued for Mosquitto's host names.</param>
    /// <param name="gateway">The gateway's own login.</param>
    /// <param name="devices">Each paired device's user name and <c>$7$</c> password hash.</param>
    public void Write(string patient, BrokerCertificates certificates, GatewayBrokerLogin gateway, IReadOnlyDictionary<string, string> devices)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(patient);
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(devices);
        var folder = Path.GetFullPath(Folder);
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        using var serverKey = certificates.Server.GetECDsaPrivateKey() ?? throw new CryptoException(CryptoError.InvalidKey, "the server certificate has no private key");
        Replace(folder, CaFile, certificates.Authority.Certificate.ExportCertificatePem());
        Replace(folder, CertificateFile, certificates.Server.ExportCertificatePem());
        Replace(folder, KeyFile, serverKey.ExportPkcs8PrivateKeyPem());
        Replace(folder, PasswordFile, Passwords(gateway, devices));
        Replace(folder, AclFile, Acl(patient, gateway.Username, devices.Keys));
        Replace(folder, ConfigFile, Config(folder, patient));
    }

    private static string Passwords(GatewayBrokerLogin gateway, IReadOnlyDictionary<string, string> devices)
    {
        var text = new StringBuilder();
        text.Append(gateway.Username).Append(':').Append(MqttPasswordHash.Hash(gateway.Password)).Append('\n');
        foreach (var (user, hash) in devices.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            text.Append(user).Append(':').Append(hash).Append('\n');
        }

        return text.ToString();
    }

    private static string Acl(string patient, string gatewayUser, IEnumerable<string> devices)
    {
        var text = new StringBuilder();
        text.Append("# HealthBlock gateway of patient ").Append(patient).Append(": each device publishes only its own topics; the gateway reads them all\n");
        text.Append("user ").Append(gatewayUser).Append('\n');
        text.Append("topic read hb/").Append(patient).Append("/+/+\n");
        text.Append("topic write hb/live/").Append(patient).Append('\n');
        foreach (var device in devices.Order(StringComparer.Ordinal))
        {
            text.Append("\nuser ").Append(device).Append('\n');
            text.Append("topic write hb/").Append(patient).Append('/').Append(device).Append("/+\n");
        }

        return text.ToString();
    }

    private string Config(string folder, string patient)
    {
        var user = Environment.UserName;
        var packetLimit = LivePath
            ? "# max_packet_size: not set, the gateway publishes live sub-batches larger than a frame through this broker"
            : string.Create(CultureInfo.InvariantCulture, $"# a PUBLISH of the largest frame (4,160 bytes) with its topic; larger packets are refused\nmax_packet_size {Limits.MaxPacketSize}");
        return string.Create(CultureInfo.InvariantCulture, $"""
            # Written by the HealthBlock gateway of patient {patient} at each start and after each pairing or unpairing:
            # change the gateway's options, not this file. After each pairing or unpairing the gateway sends this
            # Mosquitto SIGHUP itself (the pid_file below), which reloads the password and ACL files. See docs/deployment.md.
            per_listener_settings false
            pid_file {folder}/{PidFile}
            allow_anonymous false
            password_file {folder}/{PasswordFile}
            acl_file {folder}/{AclFile}
            user {user}

            listener {Port}
            certfile {folder}/{CertificateFile}
            keyfile {folder}/{KeyFile}
            cafile {folder}/{CaFile}
            tls_version tlsv1.2
            max_connections {Limits.MaxConnections}
            {packetLimit}

            # The gateway's persistent QoS 1 session (docs/gateway.md). Mosquitto writes its store every second:
            persistence true
            persistence_location {folder}/data/
            autosave_interval 1
            # Nagle + delayed ACKs hold a QoS 1 subscriber near 40-50 messages/s:
            set_tcp_nodelay true
            # the default of 20 QoS 1 messages in flight per client caps the subscriber at 20 per round trip:
            max_inflight_messages 100
            # the default of 1000 queued drops QoS 1 messages the publishers saw acknowledged once the gateway falls behind:
            max_queued_messages 0

            log_dest stderr
            log_type error
            log_type warning
            log_type notice

            """);
    }

    private static void Replace(string folder, string name, string text)
    {
        var path = Path.Combine(folder, name);
        var temporary = path + ".new";
        PrivateFiles.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
