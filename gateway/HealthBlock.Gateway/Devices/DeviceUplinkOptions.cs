using HealthBlock.Protocol.Pairing;

namespace HealthBlock.Gateway.Devices;

/// <summary>
/// How paired wearables reach this gateway's broker, written into every pairing blob (format <c>hbpair2</c>,
/// firmware/README.md): TLS 1.2 against the gateway's own CA certificate (the default), or plaintext when the gateway
/// runs with <c>--mqtt-plaintext</c>; and the device's broker credentials (<see cref="ForDevice"/>).
/// </summary>
public sealed record DeviceUplinkOptions
{
    /// <summary>Explicit plaintext, no CA, no credentials (add them with <see cref="ForDevice"/>).</summary>
    public static DeviceUplinkOptions Plaintext { get; } = new() { IsPlaintext = true };

    /// <summary>True for a plaintext link; false for TLS 1.2 against <see cref="CaCertificateDer"/>.</summary>
    public required bool IsPlaintext { get; init; }

    /// <summary>The CA certificate (X.509, DER) the device trusts; required for TLS, absent for plaintext.</summary>
    public ReadOnlyMemory<byte>? CaCertificateDer { get; init; }

    /// <summary>
    /// The names the broker's server certificate carries, or null when unknown; a TLS pairing for a host not among them
    /// is refused (the device could never validate the broker).
    /// </summary>
    public IReadOnlyCollection<string>? ServerNames { get; init; }

    /// <summary>The device's MQTT user name, or null when the broker takes none (set together with <see cref="MqttPassword"/>).</summary>
    public string? MqttUsername { get; init; }

    /// <summary>The device's MQTT password, or null when the broker takes none.</summary>
    public string? MqttPassword { get; init; }

    /// <summary>TLS against <paramref name="caCertificateDer"/>, for a server certificate naming <paramref name="serverNames"/>.</summary>
    public static DeviceUplinkOptions Tls(ReadOnlyMemory<byte> caCertificateDer, IReadOnlyCollection<string>? serverNames) =>
        new() { IsPlaintext = false, CaCertificateDer = caCertificateDer, ServerNames = serverNames };

    /// <summary>These options with the credentials of a device just paired.</summary>
    public DeviceUplinkOptions ForDevice(DeviceEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return this with { MqttUsername = entry.MqttUsername, MqttPassword = entry.MqttPassword };
    }

    /// <summary>Why a device dialling <paramref name="host"/> could not validate the broker, or null when it can.</summary>
    public string? RefusesHost(string host)
    {
        if (IsPlaintext || ServerNames is null)
        {
            return null;
        }

        return ServerNames.Contains(Mqtt.BrokerCertificates.Canonical(host), StringComparer.OrdinalIgnoreCase)
            ? null
            : $"the broker's TLS certificate names {string.Join(", ", ServerNames)}, not {host} (start the gateway with --mqtt-name {host})";
    }

    /// <summary>The portable form the shared codec takes.</summary>
    /// <exception cref="ArgumentException">TLS without a CA certificate.</exception>
    public UplinkSecurity ToSecurity()
    {
        if (IsPlaintext)
        {
            return UplinkSecurity.Plaintext(MqttUsername, MqttPassword);
        }

        var ca = CaCertificateDer ?? throw new ArgumentException("TLS needs the CA certificate the device must trust", nameof(CaCertificateDer));
        return UplinkSecurity.Tls(ca.ToArray(), MqttUsername, MqttPassword);
    }
}
