using HealthBlock.Protocol.Pairing;

namespace HealthBlock.Gateway.Devices;

/// <summary>
/// Prints the provisioning blob the firmware reads at pairing, through the codec the firmware parses it with
/// (<see cref="PairingBlob"/>, shared/HealthBlock.Protocol/Pairing/Portable). The blob carries the device's HMAC
/// key: show it only on the gateway's own console and move it to the device by cable.
/// </summary>
public static class PairingPrinter
{
    /// <summary>The canonical blob for a device.</summary>
    /// <exception cref="ArgumentException">A part is invalid (the message names the pairing error).</exception>
    public static string Format(ulong deviceId, string patient, ReadOnlySpan<byte> key, string brokerHost, int brokerPort, DeviceUplinkOptions uplink)
    {
        ArgumentNullException.ThrowIfNull(uplink);
        return PairingBlob.Create(deviceId, patient, key.ToArray(), brokerHost, brokerPort, uplink.ToSecurity()).ToString();
    }
}
