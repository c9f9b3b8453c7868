using HealthBlock.Crypto;
using Microsoft.Data.Sqlite;

namespace HealthBlock.Data;

/// <summary>
/// Opens a HealthBlock SQLite database: the file is created readable by its owner only (mode 0600, and SQLite gives its
/// <c>-wal</c> and <c>-shm</c> files the same mode), in WAL mode with a 30 s busy timeout, and with
/// <c>synchronous=FULL</c> (a committed transaction is on disk when the call returns) or <c>NORMAL</c>.
/// </summary>
public static class SqliteDatabase
{
    /// <summary>Opens (creating if needed) <paramref name="fileName"/> in <paramref name="dataFolder"/>.</summary>
    /// <param name="dataFolder">The folder; created if missing.</param>
    /// <param name="fileName">The database file's name.</param>
    /// <param name="durable">True for <c>synchronous=FULL</c>, false for <c>NORMAL</c>.</param>
    /// <returns>The open connection (the caller disposes it).</returns>
    public static SqliteConnection Open(string dataFolder, string fileName, bool durable)
    {
        Directory.CreateDirectory(dataFolder);
        var path = Path.Combine(dataFolder, fileName);
        if (!File.Exists(path))
        {
            PrivateFiles.WriteAllBytes(path, [], overwrite: false);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        try
        {
            SqliteStatements.Execute(connection, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(durable ? "FULL" : "NORMAL")}; PRAGMA busy_timeout=30000;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A second connection to the database of <paramref name="connection"/>, with the same settings.</summary>
    public static SqliteConnection OpenAnother(SqliteConnection connection, bool durable)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var another = new SqliteConnection(connection.ConnectionString);
        another.Open();
        SqliteStatements.Execute(another, $"PRAGMA synchronous={(durable ? "FULL" : "NORMAL")}; PRAGMA busy_timeout=30000;");
        return another;
    }
}
