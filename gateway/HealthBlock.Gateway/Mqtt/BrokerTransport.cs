using System.Text;
using HealthBlock.Gateway.Devices;

namespace HealthBlock.Gateway.Mqtt;

/// <summary>
/// What the running gateway last served (TLS or plaintext), remembered in its store so that pairing while it is stopped
/// (the CLI on the data folder) prints blobs for the same transport.
/// </summary>
internal static class BrokerTransport
{
    public const string MetaName = "mqtt-transport";

    public static byte[] Encode(bool plaintext) => Encoding.ASCII.GetBytes(plaintext ? "plaintext" : "tls");

    /// <summary>The uplink for pairing on a stopped gateway's folder: plaintext if it last ran so, TLS against its CA otherwise.</summary>
    public static DeviceUplinkOptions ForStoppedGateway(byte[]? remembered, string dataFolder)
    {
        if (remembered is not null && Encoding.ASCII.GetString(remembered) == "plaintext")
        {
            return DeviceUplinkOptions.Plaintext;
        }

        using var authority = BrokerCertificates.LoadOrCreateAuthority(dataFolder);
        return DeviceUplinkOptions.Tls(authority.CertificateDer, null);
    }
}
