using System.Net;

namespace HealthBlock.Gateway.Ingest;

/// <summary>
/// Finds the hardware (MAC) address of a client on the gateway's own network from the kernel's IPv4 neighbour table
/// (<c>/proc/net/arp</c> on Linux), so that an alert names the sending device's MAC as well as its IP address. MQTT over
/// TCP carries no MAC; the neighbour table knows it for any host on the same link (the wearables share the gateway's
/// Wi-Fi) and for nothing beyond a router, nor for loopback or IPv6 clients — then the lookup answers null.
/// </summary>
/// <remarks>
/// A MAC address on a shared link can be spoofed as easily as an IP address; it identifies the radio that sent the
/// frames, which is what an operator looking for the device needs, not proof of who owns it.
/// </remarks>
public sealed class NeighbourTable
{
    /// <summary>The Linux kernel's IPv4 neighbour (ARP) table.</summary>
    public const string DefaultPath = "/proc/net/arp";

    private const int MaxTableBytes = 1 << 20;

    /// <summary>A table read from <paramref name="path"/>.</summary>
    public NeighbourTable(string path = DefaultPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
    }

    /// <summary>Where the table is read from.</summary>
    public string Path { get; }

    /// <summary>
    /// The MAC address (lowercase, colon-separated) of <paramref name="clientAddress"/> — an IP address or
    /// <c>ip:port</c> — or null when the table has no complete entry for it or cannot be read.
    /// </summary>
    public string? LookupMac(string? clientAddress)
    {
        if (ParseAddress(clientAddress) is not { } ip)
        {
            return null;
        }

        string text;
        try
        {
            using var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096);
            using var reader = new StreamReader(file);
            var buffer = new char[MaxTableBytes];
            var read = reader.ReadBlock(buffer, 0, buffer.Length);
            text = new string(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return Find(text, ip);
    }

    /// <summary>
    /// The MAC address the table text gives <paramref name="ip"/>: the first complete entry (flags with ATF_COM, 0x2,
    /// and a non-zero address), or null.
    /// </summary>
    public static string? Find(string table, IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(ip);
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        foreach (var line in table.Split('\n'))
        {
            // "IP address  HW type  Flags  HW address  Mask  Device"
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || !IPAddress.TryParse(fields[0], out var entry) || !entry.Equals(ip))
            {
                continue;
            }

            var complete = fields[2].StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(fields[2].AsSpan(2), System.Globalization.NumberStyles.HexNumber, null, out var flags)
                && (flags & 0x2) != 0;
            if (complete && IsMac(fields[3]) && fields[3] != "00:00:00:00:00:00")
            {
                return fields[3].ToLowerInvariant();
            }
        }

        return null;
    }

    private static IPAddress? ParseAddress(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (IPEndPoint.TryParse(text, out var endpoint))
        {
            return endpoint.Address;
        }

        return IPAddress.TryParse(text, out var address) ? address : null;
    }

    private static bool IsMac(string text)
    {
        if (text.Length != 17)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var ok = i % 3 == 2 ? text[i] == ':' : char.IsAsciiHexDigit(text[i]);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
