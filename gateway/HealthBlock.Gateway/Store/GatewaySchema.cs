using HealthBlock.Data;
using HealthBlock.Protocol.Frames;
using Microsoft.Data.Sqlite;

namespace HealthBlock.Gateway.Store;

/// <summary>
/// The gateway database's tables, and the upgrade from schema 1. Schema 2 adds: the frame's duration (so the batcher
/// never decodes a journalled frame again), the device's pairing number (re-pairing a device starts a new sequence),
/// the reason a batch was refused, and counters in a table of their own. Schema 3 adds the live sub-batches
/// (<c>live</c>: sealed once, with the sequence number taken in the same write) and each frame's live sub-batch. Schema 4
/// seals each journalled frame at rest (<see cref="FrameSeal"/>): an older database's frames still in clear are marked
/// (<c>frames_in_clear</c>, the last row id then) and sealed the first time the local key is opened
/// (<see cref="SealClearFrames"/>), since the key needs the patient's identity the store is opened without. The
/// <c>device_credentials</c> table (each device's MQTT password hash) is created on any database that lacks it; devices
/// paired before it have no password and must be paired again to log in to the broker.
/// </summary>
internal static class GatewaySchema
{
    public const long Version = 4;

    /// <summary>The meta entry naming the last journal row an older schema may have left in clear.</summary>
    private const string ClearFrames = "frames_in_clear";

    private const string Tables = """
        CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS devices (
            device INTEGER PRIMARY KEY, sealed_key BLOB NOT NULL, state TEXT NOT NULL,
            paired_ms INTEGER NOT NULL, pairing INTEGER NOT NULL DEFAULT 1);
        CREATE TABLE IF NOT EXISTS frames (
            id INTEGER PRIMARY KEY AUTOINCREMENT, device INTEGER NOT NULL, pairing INTEGER NOT NULL, seq INTEGER NOT NULL,
            kind INTEGER NOT NULL, ts_ms INTEGER NOT NULL, duration_ms INTEGER NOT NULL, received_ms INTEGER NOT NULL,
            bytes BLOB NOT NULL, batch INTEGER, live INTEGER, UNIQUE (device, pairing, seq));
        CREATE INDEX IF NOT EXISTS frames_unbatched ON frames (batch, id);
        CREATE INDEX IF NOT EXISTS frames_unsealed ON frames (live, id);
        CREATE TABLE IF NOT EXISTS live (
            id INTEGER PRIMARY KEY AUTOINCREMENT, epoch INTEGER NOT NULL, seq INTEGER NOT NULL, first_frame INTEGER NOT NULL,
            last_frame INTEGER NOT NULL, frame_count INTEGER NOT NULL, sealed BLOB NOT NULL, created_ms INTEGER NOT NULL,
            batch INTEGER, superseded INTEGER NOT NULL DEFAULT 0, UNIQUE (epoch, seq));
        CREATE TABLE IF NOT EXISTS gaps (device INTEGER NOT NULL, first_missing INTEGER NOT NULL, last_missing INTEGER NOT NULL, at_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS batches (
            number INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, first_frame INTEGER NOT NULL, last_frame INTEGER NOT NULL,
            frame_count INTEGER NOT NULL, state TEXT NOT NULL, cid TEXT, tx BLOB, tx_id TEXT, height INTEGER,
            created_ms INTEGER NOT NULL, committed_ms INTEGER, reason TEXT);
        CREATE INDEX IF NOT EXISTS batches_open ON batches (number) WHERE state NOT IN ('committed', 'refused');
        CREATE TABLE IF NOT EXISTS epochs (epoch INTEGER PRIMARY KEY, sealed_iot_key BLOB NOT NULL, created_ms INTEGER NOT NULL, key_tx_id TEXT);
        CREATE TABLE IF NOT EXISTS doctors (
            doctor TEXT PRIMARY KEY, signing_key BLOB NOT NULL, encryption_key BLOB NOT NULL,
            sealed_diagnosis_key BLOB NOT NULL, authorised INTEGER NOT NULL, changed_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS rejections (reason TEXT PRIMARY KEY, count INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS device_credentials (device INTEGER PRIMARY KEY, pairing INTEGER NOT NULL, password_hash TEXT NOT NULL);
        """;

    public static void CreateOrUpgrade(SqliteConnection c)
    {
        using var tx = c.BeginTransaction(deferred: false);
        var hasMeta = SqliteStatements.Scalar(c, tx, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'") is not null;
        var version = hasMeta && SqliteStatements.Scalar(c, tx, "SELECT value FROM meta WHERE name = 'schema'") is { } v ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (version == 1)
        {
            UpgradeFrom1(c, tx);
        }

        if (version == 2)
        {
            SqliteStatements.NonQuery(c, tx, "ALTER TABLE frames ADD COLUMN live INTEGER");
        }

        else if (version > Version)
        {
            throw new InvalidOperationException($"gateway.db has schema {version}; this gateway knows schema {Version} at most (a newer version wrote it).");
        }

        using (var create = SqliteStatements.Command(c, tx, Tables))
        {
            create.ExecuteNonQuery();
        }

        if (version is > 0 and < 4)
        {
            SqliteStatements.NonQuery(c, tx, "INSERT OR IGNORE INTO meta (name, value) VALUES ($n, (SELECT COALESCE(MAX(id), 0) FROM frames))", ("$n", ClearFrames));
        }

        SqliteStatements.NonQuery(c, tx, "INSERT INTO meta (name, value) VALUES ('schema', $v) ON CONFLICT(name) DO UPDATE SET value = excluded.value", ("$v", Version));
        tx.Commit();
    }

    /// <summary>
    /// Seals the frames an older schema left in clear (unbatched, in open or parked batches, or committed but not yet
    /// cut), in one transaction, and removes the mark; nothing to do on a database written by schema 4.
    /// </summary>
    public static void SealClearFrames(SqliteConnection c, FrameSeal seal)
    {
        using var tx = c.BeginTransaction(deferred: false);
        if (SqliteStatements.Scalar(c, tx, "SELECT value FROM meta WHERE name = $n", ("$n", ClearFrames)) is not { } upTo)
        {
            return;
        }

        var rows = SqliteStatements.Rows(c, tx, $"SELECT {FrameSeal.Columns} FROM frames WHERE id <= $u AND LENGTH(bytes) > $t",
            r => (Id: r.GetInt64(0), Device: Sql.Device(r.GetInt64(1)), Pairing: r.GetInt64(2), Seq: r.GetInt64(3), Bytes: (byte[])r[4]),
            ("$u", upTo), ("$t", (long)FrameTags.MaxLength));
        foreach (var f in rows)
        {
            SqliteStatements.NonQuery(c, tx, "UPDATE frames SET bytes = $b WHERE id = $i", ("$b", seal.Seal(f.Device, f.Pairing, f.Seq, f.Bytes)), ("$i", f.Id));
        }

        SqliteStatements.NonQuery(c, tx, "DELETE FROM meta WHERE name = $n", ("$n", ClearFrames));
        tx.Commit();
    }

    private static void UpgradeFrom1(SqliteConnection c, SqliteTransaction tx)
    {
        SqliteStatements.NonQuery(c, tx, "ALTER TABLE devices ADD COLUMN pairing INTEGER NOT NULL DEFAULT 1");
        SqliteStatements.NonQuery(c, tx, "ALTER TABLE batches ADD COLUMN reason TEXT");
        SqliteStatements.NonQuery(c, tx, "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        foreach (var (name, value) in SqliteStatements.Rows(c, tx, "SELECT name, value FROM meta WHERE name LIKE 'counter:%'", r => (r.GetString(0), (byte[])r[1])))
        {
            SqliteStatements.NonQuery(c, tx, "INSERT INTO counters (name, value) VALUES ($n, $v)", ("$n", name["counter:".Length..]), ("$v", (long)BitConverter.ToUInt64(value)));
        }

        SqliteStatements.NonQuery(c, tx, "DELETE FROM meta WHERE name LIKE 'counter:%'");

        // The frames table gains the pairing number and the duration, and its uniqueness moves to (device, pairing,
        // sequence): SQLite cannot change a constraint in place, so the table is copied. The duration of a schema-1
        // frame comes from decoding it once, here.
        SqliteStatements.NonQuery(c, tx, "ALTER TABLE frames RENAME TO frames_v1");
        SqliteStatements.NonQuery(c, tx, "DROP INDEX IF EXISTS frames_unbatched");
        using (var create = SqliteStatements.Command(c, tx, Tables))
        {
            create.ExecuteNonQuery();
        }

        var rows = SqliteStatements.Rows(c, tx, "SELECT id, device, seq, kind, ts_ms, received_ms, bytes, batch FROM frames_v1 ORDER BY id", r => (
            Id: r.GetInt64(0), Device: r.GetInt64(1), Seq: r.GetInt64(2), Kind: r.GetInt64(3), Ts: r.GetInt64(4), Received: r.GetInt64(5), Bytes: (byte[])r[6], Batch: r.IsDBNull(7) ? (long?)null : r.GetInt64(7)));
        foreach (var f in rows)
        {
            SqliteStatements.NonQuery(c, tx, """
                INSERT INTO frames (id, device, pairing, seq, kind, ts_ms, duration_ms, received_ms, bytes, batch)
                VALUES ($i, $d, 1, $s, $k, $t, $u, $r, $b, $n)
                """,
                ("$i", f.Id), ("$d", f.Device), ("$s", f.Seq), ("$k", f.Kind), ("$t", f.Ts), ("$u", DeviceFrame.Decode(f.Bytes).DurationMs),
                ("$r", f.Received), ("$b", f.Bytes), ("$n", f.Batch));
        }

        SqliteStatements.NonQuery(c, tx, "DROP TABLE frames_v1");
    }
}
