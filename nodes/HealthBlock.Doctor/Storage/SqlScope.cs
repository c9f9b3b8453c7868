using Microsoft.Data.Sqlite;

namespace HealthBlock.Doctor.Storage;

/// <summary>
/// The doctor database's connection inside one call of <see cref="DoctorDatabase"/> (holding its lock), with the SQLite
/// transaction of a write when there is one. Parameters are (name, value) pairs; enum values are stored as integers.
/// </summary>
internal readonly struct SqlScope(SqliteConnection connection, SqliteTransaction? transaction)
{
    /// <summary>Runs a statement; returns the number of rows it changed.</summary>
    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>The first column of the first row, or null.</summary>
    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteScalar();
    }

    /// <summary>True when the query returns a row.</summary>
    public bool Exists(string sql, params (string Name, object? Value)[] parameters) => Scalar(sql, parameters) is not null;

    /// <summary>Every row, read by <paramref name="read"/>.</summary>
    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Rows read by <paramref name="read"/> while it returns true (it may stop the reading early).</summary>
    public void Read(string sql, Func<SqliteDataReader, bool> read, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read() && read(reader))
        {
        }
    }

    private SqliteCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value switch
            {
                null => DBNull.Value,
                Enum e => Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture),
                _ => value,
            });
        }

        return command;
    }
}
