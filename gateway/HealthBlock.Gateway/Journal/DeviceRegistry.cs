using System.Collections.Concurrent;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Keys;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Gateway.Journal;

/// <summary>A paired device's state.</summary>
public enum DeviceState
{
    /// <summary>Paired but waiting for the pairing window (button) to be activated.</summary>
    Pending,

    /// <summary>Its frames are accepted.</summary>
    Active,

    /// <summary>Unpaired; its frames are refused.</summary>
    Removed,
}

/// <summary>A device as the registry knows it.</summary>
/// <param name="Id">Device id.</param>
/// <param name="Key">The 32-byte HMAC key.</param>
/// <param name="State">Pairing state.</param>
/// <param name="PairedMs">When it was paired.</param>
public sealed record DeviceEntry(ulong Id, byte[] Key, DeviceState State, long PairedMs);

/// <summary>
/// The paired devices and their HMAC keys (sealed at rest). Reads come from an in-memory copy; pairing writes
/// through to the database so the CLI and the running service see the same registry.
/// </summary>
public sealed class DeviceRegistry
{
    private readonly GatewayDatabase _database;
    private readonly SecretSealer _sealer;
    private readonly ConcurrentDictionary<ulong, DeviceEntry> _devices = new();
    private readonly Lock _writeLock = new();
    private long _lastReload;

    /// <summary>Loads the registry.</summary>
    public DeviceRegistry(GatewayDatabase database, SecretSealer sealer)
    {
        _database = database;
        _sealer = sealer;
        Reload();
    }

    /// <summary>All devices.</summary>
    public IReadOnlyCollection<DeviceEntry> Devices => [.. _devices.Values.OrderBy(d => d.Id)];

    /// <summary>Re-reads the registry from the database (picks up pairings made by the CLI).</summary>
    public void Reload()
    {
        Interlocked.Exchange(ref _lastReload, Environment.TickCount64);
        lock (_writeLock)
        {
            var rows = _database.Run(connection =>
            {
                using var cmd = connection.CreateCommand();
                cmd.CommandText = "SELECT device, sealed_key, state, paired_ms FROM devices";
                using var reader = cmd.ExecuteReader();
                var list = new List<(long Id, byte[] Sealed, string State, long Paired)>();
                while (reader.Read())
                {
                    list.Add((reader.GetInt64(0), (byte[])reader[1], reader.GetString(2), reader.GetInt64(3)));
                }

                return list;
            });
            foreach (var row in rows)
            {
                var id = unchecked((ulong)row.Id);
                _devices[id] = new DeviceEntry(id, _sealer.Open(row.Sealed, Label(id)), Enum.Parse<DeviceState>(row.State), row.Paired);
            }
        }
    }

    /// <summary>Looks a device up.</summary>
    public bool TryGet(ulong id, out DeviceEntry entry)
    {
        if (_devices.TryGetValue(id, out entry!))
        {
            return true;
        }

        // An unknown id may have been paired by the CLI a moment ago; re-read at most once a second so that
        // a flood of frames from unknown devices cannot turn into a flood of database reads.
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _lastReload) < 1000)
        {
            return false;
        }

        Reload();
        return _devices.TryGetValue(id, out entry!);
    }

    /// <summary>Pairs a device with a fresh random key (re-pairing replaces its key).</summary>
    public DeviceEntry Pair(ulong id, DeviceState state = DeviceState.Active) => Save(new DeviceEntry(id, DeviceMac.NewKey(), state, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    /// <summary>Changes a device's state.</summary>
    public DeviceEntry SetState(ulong id, DeviceState state)
    {
        if (!TryGet(id, out var entry))
        {
            throw new KeyNotFoundException($"Device {DeviceFrame.FormatDeviceId(id)} is not paired.");
        }

        return Save(entry with { State = state });
    }

    private DeviceEntry Save(DeviceEntry entry)
    {
        lock (_writeLock)
        {
            _database.Run(connection =>
            {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                INSERT INTO devices (device, sealed_key, state, paired_ms) VALUES ($d, $k, $s, $t)
                ON CONFLICT(device) DO UPDATE SET sealed_key = excluded.sealed_key, state = excluded.state, paired_ms = excluded.paired_ms
                """;
            cmd.Parameters.AddWithValue("$d", unchecked((long)entry.Id));
            cmd.Parameters.AddWithValue("$k", _sealer.Seal(entry.Key, Label(entry.Id)));
            cmd.Parameters.AddWithValue("$s", entry.State.ToString());
            cmd.Parameters.AddWithValue("$t", entry.PairedMs);
            cmd.ExecuteNonQuery();
            });
            _devices[entry.Id] = entry;
            return entry;
        }
    }

    private static string Label(ulong id) => "device:" + DeviceFrame.FormatDeviceId(id);
}
