using Microsoft.Data.Sqlite;

namespace HealthBlock.Gateway.Store;

/// <summary>Small helpers for parameterised SQLite statements (the doctor node's style).</summary>
internal static class Sql
{
    public static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    public static object? Scalar(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        using var cmd = Command(c, tx, sql, parameters);
        return cmd.ExecuteScalar();
    }

    public static int NonQuery(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        using var cmd = Command(c, tx, sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    /// <summary>Reads every row of a query through <paramref name="read"/>.</summary>
    public static List<T> Rows<T>(SqliteConnection c, SqliteTransaction? tx, string sql, Func<SqliteDataReader, T> read, params (string, object?)[] parameters)
    {
        using var cmd = Command(c, tx, sql, parameters);
        using var reader = cmd.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>A device id as SQLite stores it (a signed 64-bit integer with the same bits).</summary>
    public static long Device(ulong id) => unchecked((long)id);

    /// <summary>A device id read back from SQLite.</summary>
    public static ulong Device(long stored) => unchecked((ulong)stored);
}
