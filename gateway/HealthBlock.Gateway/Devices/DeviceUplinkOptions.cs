using HealthBlock.Protocol.Pairing;

namespace HealthBlock.Gateway.Devices;

/// <summary>
/// How paired wearables reach this gateway's broker, written into every pairing blob (format <c>hbpair2</c>,
/// firmware/README.md). The gateway has no TLS listener yet, so <see cref="PlaintextForNow"/> is what pairing
/// uses: it says "plaintext" explicitly in the blob. To move devices to TLS, give the CA certificate the broker's
/// server certificate chains to (<see cref="CaCertificateDer"/>) and per-device MQTT credentials, and pass that
/// instance to <see cref="PairingPrinter.Format"/>.
/// </summary>
public sealed record DeviceUplinkOptions
{
    /// <summary>The options pairing uses until the broker offers TLS: explicit plaintext, no CA, no credentials.</summary>
    public static DeviceUplinkOptions PlaintextForNow { get; } = new() { Plaintext = true };

    /// <summary>True for a plaintext link; false for TLS 1.2 against <see cref="CaCertificateDer"/>.</summary>
    public required bool Plaintext { get; init; }

    /// <summary>The CA certificate (X.509, DER) the device trusts; required for TLS, absent for plaintext.</summary>
    public ReadOnlyMemory<byte>? CaCertificateDer { get; init; }

    /// <summary>The device's MQTT user name, or null when the broker takes none (set together with <see cref="MqttPassword"/>).</summary>
    public string? MqttUsername { get; init; }

    /// <summary>The device's MQTT password, or null when the broker takes none.</summary>
    public string? MqttPassword { get; init; }

    /// <summary>The portable form the shared codec takes.</summary>
    /// <exception cref="ArgumentException">TLS without a CA certificate.</exception>
    public UplinkSecurity ToSecurity()
    {
        if (Plaintext)
        {
            return UplinkSecurity.Plaintext(MqttUsername, MqttPassword);
        }

        var ca = CaCertificateDer ?? throw new ArgumentException("TLS needs the CA certificate the device must trust", nameof(CaCertificateDer));
        return UplinkSecurity.Tls(ca.ToArray(), MqttUsername, MqttPassword);
    }
}
