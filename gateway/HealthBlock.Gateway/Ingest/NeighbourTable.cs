using System.Collections.Concurrent;
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

    private const int MaxLines = 65_536;
    private const int MaxCached = 4096;

    private readonly ConcurrentDictionary<IPAddress, (string? Mac, long Expires)> _cache = new();
    private readonly TimeSpan _cacheFor;
    private readonly TimeProvider _time;

    /// <summary>A table read from <paramref name="path"/>.</summary>
    /// <param name="path">The table file.</param>
    /// <param name="cacheFor">
    /// How long an answer (a MAC or none) is reused for the same address: a flood of bad frames from one client then
    /// costs one read of the table, not one per frame. Default 10 s; zero reads the table every time.
    /// </param>
    /// <param name="time">The clock of the cache.</param>
    public NeighbourTable(string path = DefaultPath, TimeSpan? cacheFor = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        _cacheFor = cacheFor ?? TimeSpan.FromSeconds(10);
        ArgumentOutOfRangeException.ThrowIfLessThan(_cacheFor, TimeSpan.Zero, nameof(cacheFor));
        _time = time ?? TimeProvider.System;
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

        ip = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
        if (ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return null; // the table holds IPv4 neighbours only
        }

        var now = _time.GetTimestamp();
        if (_cache.TryGetValue(ip, out var cached) && now < cached.Expires)
        {
            return cached.Mac;
        }

        var found = Read(ip);
        if (_cacheFor > TimeSpan.Zero)
        {
            // Counting under all of the dictionary's locks only on a miss is cheap; clearing bounds the memory a client
            // with many addresses can take (it then costs a table read per alert, as without a cache).
            if (_cache.Count >= MaxCached)
            {
                _cache.Clear();
            }

            _cache[ip] = (found, now + (long)(_cacheFor.TotalSeconds * _time.TimestampFrequency));
        }

        return found;
    }

    private string? Read(IPAddress ip)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096));
            var lines = 0;
            while (lines++ < MaxLines && reader.ReadLine() is { } line)
            {
                if (ParseLine(line, ip) is { } mac)
                {
                    return mac;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>
    /// The MAC address the table text gives <paramref name="ip"/>: the first complete entry (flags with ATF_COM, 0x2,
    /// and a non-zero address), or null.
    /// </summary>
    public static string? Find(string table, IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(ip);
        ip = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
        foreach (var line in table.Split('\n'))
        {
            if (ParseLine(line, ip) is { } mac)
            {
                return mac;
            }
        }

        return null;
    }

    /// <summary>The MAC of one table line if it is a complete entry for <paramref name="ip"/> (IPv4), else null.</summary>
    private static string? ParseLine(string line, IPAddress ip)
    {
        // "IP address  HW type  Flags  HW address  Mask  Device"
        var fields = line.Split((char[]?)null, 5, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 4 || !IPAddress.TryParse(fields[0], out var entry) || !entry.Equals(ip))
        {
            return null;
        }

        var complete = fields[2].StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(fields[2].AsSpan(2), System.Globalization.NumberStyles.HexNumber, null, out var flags)
            && (flags & 0x2) != 0;
        return complete && IsMac(fields[3]) && fields[3] != "00:00:00:00:00:00" ? fields[3].ToLowerInvariant() : null;
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
