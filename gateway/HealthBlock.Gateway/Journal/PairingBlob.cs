using System.Globalization;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Gateway.Journal;

/// <summary>
/// The provisioning blob the firmware reads at pairing (format <c>hbpair1</c>, firmware/README.md):
/// <c>hbpair1;device=&lt;16 hex&gt;;patient=&lt;id&gt;;key=&lt;64 hex&gt;;broker=&lt;host&gt;:&lt;port&gt;;topic=hb/&lt;patient&gt;/&lt;device&gt;</c>.
/// It carries the device's HMAC key: show it only on the gateway's own console and move it to the device by cable.
/// </summary>
public static class PairingBlob
{
    /// <summary>Formats the blob for a device.</summary>
    public static string Format(ulong deviceId, string patient, ReadOnlySpan<byte> key, string brokerHost, int brokerPort)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(patient);
        ArgumentException.ThrowIfNullOrWhiteSpace(brokerHost);
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokerPort, 65535);
        var device = DeviceFrame.FormatDeviceId(deviceId);
        var host = brokerHost.Contains(':', StringComparison.Ordinal) && !brokerHost.StartsWith('[') ? $"[{brokerHost}]" : brokerHost;
        return string.Create(CultureInfo.InvariantCulture, $"hbpair1;device={device};patient={patient};key={Convert.ToHexStringLower(key)};broker={host}:{brokerPort};topic=hb/{patient}/{device}");
    }
}
