using HealthBlock.Data;
using HealthBlock.Gateway.Devices;

namespace HealthBlock.Gateway.Store;

/// <summary>A device row: the key stays sealed here; <see cref="DeviceRegistry"/> opens it.</summary>
internal sealed record DeviceRow(ulong Id, byte[] SealedKey, DeviceState State, long PairedMs, long Pairing);

/// <summary>What the journal knows of a device's current pairing.</summary>
internal sealed record DeviceActivityRow(ulong Id, long? LastSequence, long? LastFrameMs, long Frames);

/// <summary>The <c>devices</c> table: paired devices, their sealed keys and pairing numbers.</summary>
internal sealed class DeviceTable(GatewayStore store)
{
    private const string Columns = "device, sealed_key, state, paired_ms, pairing";

    public List<DeviceRow> All() => store.Run(c => SqliteStatements.Rows(c, null, $"SELECT {Columns} FROM devices ORDER BY device", Read));

    public DeviceRow? Get(ulong id) => store.Run(c => SqliteStatements.Rows(c, null, $"SELECT {Columns} FROM devices WHERE device = $d", Read, ("$d", Sql.Device(id))).FirstOrDefault());

    /// <summary>
    /// Pairs a device with a new sealed key: a device seen before gets the next pairing number, so its sequence
    /// numbers start afresh.
    /// </summary>
    public DeviceRow Pair(ulong id, byte[] sealedKey, DeviceState state, long nowMs, string passwordHash) => store.Run(c =>
    {
        using var tx = c.BeginTransaction(deferred: false);
        SqliteStatements.NonQuery(c, tx, """
            INSERT INTO devices (device, sealed_key, state, paired_ms, pairing) VALUES ($d, $k, $s, $t, 1)
            ON CONFLICT(device) DO UPDATE SET sealed_key = excluded.sealed_key, state = excluded.state,
                paired_ms = excluded.paired_ms, pairing = pairing + 1
            """,
            ("$d", Sql.Device(id)), ("$k", sealedKey), ("$s", state.ToString()), ("$t", nowMs));
        var row = SqliteStatements.Rows(c, tx, $"SELECT {Columns} FROM devices WHERE device = $d", Read, ("$d", Sql.Device(id))).Single();
        SqliteStatements.NonQuery(c, tx, """
            INSERT INTO device_credentials (device, pairing, password_hash) VALUES ($d, $p, $h)
            ON CONFLICT(device) DO UPDATE SET pairing = excluded.pairing, password_hash = excluded.password_hash
            """,
            ("$d", Sql.Device(id)), ("$p", row.Pairing), ("$h", passwordHash));
        tx.Commit();
        return row;
    });

    /// <summary>The MQTT password hash of each device's current pairing (devices paired before passwords have none).</summary>
    public Dictionary<ulong, string> PasswordHashes() => store.Run(c => SqliteStatements.Rows(c, null, """
        SELECT d.device, k.password_hash FROM devices d JOIN device_credentials k ON k.device = d.device AND k.pairing = d.pairing
        """,
        r => (Sql.Device(r.GetInt64(0)), r.GetString(1))).ToDictionary(p => p.Item1, p => p.Item2));

    /// <summary>Changes a device's state; false when it is not in the table.</summary>
    public bool SetState(ulong id, DeviceState state) => store.Run(c =>
        SqliteStatements.NonQuery(c, null, "UPDATE devices SET state = $s WHERE device = $d", ("$s", state.ToString()), ("$d", Sql.Device(id))) == 1);

    /// <summary>Last sequence, last frame time and frame count of each device's current pairing.</summary>
    public List<DeviceActivityRow> Activity() => store.Run(c => SqliteStatements.Rows(c, null, """
        SELECT d.device, MAX(f.seq), MAX(f.received_ms), COUNT(f.id)
        FROM devices d LEFT JOIN frames f ON f.device = d.device AND f.pairing = d.pairing
        GROUP BY d.device ORDER BY d.device
        """,
        r => new DeviceActivityRow(Sql.Device(r.GetInt64(0)), r.IsDBNull(1) ? null : r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt64(2), r.GetInt64(3))));

    private static DeviceRow Read(Microsoft.Data.Sqlite.SqliteDataReader r) =>
        new(Sql.Device(r.GetInt64(0)), (byte[])r[1], Enum.Parse<DeviceState>(r.GetString(2)), r.GetInt64(3), r.GetInt64(4));
}
