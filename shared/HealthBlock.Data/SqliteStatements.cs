using System.Globalization;
using Microsoft.Data.Sqlite;

namespace HealthBlock.Data;

/// <summary>
/// The one way HealthBlock runs a parameterised SQLite statement: parameters are (name, value) pairs, null becomes SQL
/// NULL and an enum value its integer.
/// </summary>
public static class SqliteStatements
{
    /// <summary>A command for <paramref name="sql"/> with its parameters, in <paramref name="transaction"/> if any.</summary>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(parameters);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value switch
            {
                null => DBNull.Value,
                Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture),
                _ => value,
            });
        }

        return command;
    }

    /// <summary>Runs a statement; returns the number of rows it changed.</summary>
    public static int NonQuery(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>The first column of the first row, or null.</summary>
    public static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    /// <summary>Every row, read by <paramref name="read"/>.</summary>
    public static List<T> Rows<T>(SqliteConnection connection, SqliteTransaction? transaction, string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var command = Command(connection, transaction, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Rows read by <paramref name="read"/> while it returns true (it may stop the reading early).</summary>
    public static void ReadWhile(SqliteConnection connection, SqliteTransaction? transaction, string sql, Func<SqliteDataReader, bool> read, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var command = Command(connection, transaction, sql, parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read() && read(reader))
        {
        }
    }

    /// <summary>Runs statements without parameters (pragmas, schema).</summary>
    public static void Execute(SqliteConnection connection, string sql) => NonQuery(connection, null, sql);
}
