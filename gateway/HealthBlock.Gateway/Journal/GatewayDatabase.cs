using Microsoft.Data.Sqlite;

namespace HealthBlock.Gateway.Journal;

/// <summary>
/// The gateway's SQLite database (<c>gateway.db</c> in the data folder) in WAL mode with <c>synchronous=FULL</c>,
/// so a committed transaction is on disk before the call returns. Holds the device registry, the frame journal,
/// batches, key epochs, doctors, nonces and rejection counters. Several processes may open it (the service and
/// the CLI); SQLite serialises their writes.
/// </summary>
public sealed class GatewayDatabase : IDisposable
{
    private const int SchemaVersion = 1;

    private GatewayDatabase(string path, SqliteConnection connection)
    {
        Path = path;
        Connection = connection;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    private SqliteConnection Connection { get; }

    private readonly Lock _lock = new();

    /// <summary>Runs <paramref name="work"/> on the shared connection, one caller at a time.</summary>
    internal T Run<T>(Func<SqliteConnection, T> work)
    {
        lock (_lock)
        {
            return work(Connection);
        }
    }

    /// <summary>Runs <paramref name="work"/> on the shared connection, one caller at a time.</summary>
    internal void Run(Action<SqliteConnection> work)
    {
        lock (_lock)
        {
            work(Connection);
        }
    }

    /// <summary>Opens (creating if needed) the database in <paramref name="dataFolder"/>.</summary>
    public static GatewayDatabase Open(string dataFolder)
    {
        Directory.CreateDirectory(dataFolder);
        var path = System.IO.Path.Combine(dataFolder, "gateway.db");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;");
        var db = new GatewayDatabase(path, connection);
        db.Migrate();
        return db;
    }

    /// <summary>Opens a second connection to the same file (for a background writer).</summary>
    internal SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(Connection.ConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;");
        return connection;
    }

    private void Migrate()
    {
        Execute(Connection, """
            CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS devices (
                device INTEGER PRIMARY KEY, sealed_key BLOB NOT NULL, state TEXT NOT NULL,
                paired_ms INTEGER NOT NULL, last_seq INTEGER);
            CREATE TABLE IF NOT EXISTS frames (
                id INTEGER PRIMARY KEY AUTOINCREMENT, device INTEGER NOT NULL, seq INTEGER NOT NULL,
                kind INTEGER NOT NULL, ts_ms INTEGER NOT NULL, received_ms INTEGER NOT NULL, bytes BLOB NOT NULL,
                batch INTEGER, UNIQUE (device, seq));
            CREATE INDEX IF NOT EXISTS frames_unbatched ON frames (batch, id);
            CREATE TABLE IF NOT EXISTS gaps (device INTEGER NOT NULL, first_missing INTEGER NOT NULL, last_missing INTEGER NOT NULL, at_ms INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS batches (
                number INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, first_frame INTEGER NOT NULL, last_frame INTEGER NOT NULL,
                frame_count INTEGER NOT NULL, state TEXT NOT NULL, cid TEXT, tx BLOB, tx_id TEXT, height INTEGER,
                created_ms INTEGER NOT NULL, committed_ms INTEGER);
            CREATE TABLE IF NOT EXISTS epochs (epoch INTEGER PRIMARY KEY, sealed_iot_key BLOB NOT NULL, created_ms INTEGER NOT NULL, key_tx_id TEXT);
            CREATE TABLE IF NOT EXISTS doctors (
                doctor TEXT PRIMARY KEY, signing_key BLOB NOT NULL, encryption_key BLOB NOT NULL,
                sealed_diagnosis_key BLOB NOT NULL, authorised INTEGER NOT NULL, changed_ms INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS rejections (reason TEXT PRIMARY KEY, count INTEGER NOT NULL);
            """);
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = "INSERT INTO meta (name, value) VALUES ('schema', $v) ON CONFLICT(name) DO NOTHING";
        cmd.Parameters.AddWithValue("$v", SchemaVersion);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Frames journalled but not yet in a committed batch.</summary>
    public long Backlog() => Run(connection =>
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM frames f LEFT JOIN batches b ON f.batch = b.number WHERE f.batch IS NULL OR b.state <> 'committed'";
        return (long)cmd.ExecuteScalar()!;
    });

    /// <summary>Reads a meta value.</summary>
    public byte[]? GetMeta(string name) => Run(connection =>
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT value FROM meta WHERE name = $n";
        cmd.Parameters.AddWithValue("$n", name);
        return cmd.ExecuteScalar() as byte[];
    });

    /// <summary>Writes a meta value.</summary>
    public void SetMeta(string name, byte[] value) => Run(connection =>
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO meta (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = excluded.value";
        cmd.Parameters.AddWithValue("$n", name);
        cmd.Parameters.AddWithValue("$v", value);
        cmd.ExecuteNonQuery();
    });

    /// <summary>Atomically takes the next value of a named counter (e.g. the patient's transaction nonce), starting at <paramref name="first"/>.</summary>
    public ulong NextCounter(string name, ulong first = 1) => Run(connection =>
    {
        using var tx = connection.BeginTransaction(deferred: false);
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT value FROM meta WHERE name = $n";
        cmd.Parameters.AddWithValue("$n", "counter:" + name);
        var current = cmd.ExecuteScalar() is byte[] b ? BitConverter.ToUInt64(b) : first - 1;
        var next = Math.Max(current + 1, first);
        cmd.CommandText = "INSERT INTO meta (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = excluded.value";
        cmd.Parameters.AddWithValue("$v", BitConverter.GetBytes(next));
        cmd.ExecuteNonQuery();
        tx.Commit();
        return next;
    });

    /// <summary>Raises a named counter to at least <paramref name="value"/> (after learning the ledger's view).</summary>
    public void RaiseCounter(string name, ulong value) => Run(connection =>
    {
        using var tx = connection.BeginTransaction(deferred: false);
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT value FROM meta WHERE name = $n";
        cmd.Parameters.AddWithValue("$n", "counter:" + name);
        var current = cmd.ExecuteScalar() is byte[] b ? BitConverter.ToUInt64(b) : 0;
        if (value > current)
        {
            cmd.CommandText = "INSERT INTO meta (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = excluded.value";
            cmd.Parameters.AddWithValue("$v", BitConverter.GetBytes(value));
            cmd.ExecuteNonQuery();
        }

        tx.Commit();
    });

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public void Dispose() => Connection.Dispose();
}
