using HealthBlock.Data;
using Microsoft.Data.Sqlite;

namespace HealthBlock.Doctor.Storage;

/// <summary>
/// The doctor database's connection inside one call of <see cref="DoctorDatabase"/> (holding its lock), with the SQLite
/// transaction of a write when there is one. Parameters are (name, value) pairs; enum values are stored as integers.
/// </summary>
internal readonly struct SqlScope(SqliteConnection connection, SqliteTransaction? transaction)
{
    /// <summary>Runs a statement; returns the number of rows it changed.</summary>
    public int Execute(string sql, params (string Name, object? Value)[] parameters) => SqliteStatements.NonQuery(connection, transaction, sql, parameters);

    /// <summary>The first column of the first row, or null.</summary>
    public object? Scalar(string sql, params (string Name, object? Value)[] parameters) => SqliteStatements.Scalar(connection, transaction, sql, parameters);

    /// <summary>True when the query returns a row.</summary>
    public bool Exists(string sql, params (string Name, object? Value)[] parameters) => Scalar(sql, parameters) is not null;

    /// <summary>Every row, read by <paramref name="read"/>.</summary>
    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters) =>
        SqliteStatements.Rows(connection, transaction, sql, read, parameters);

    /// <summary>Rows read by <paramref name="read"/> while it returns true (it may stop the reading early).</summary>
    public void Read(string sql, Func<SqliteDataReader, bool> read, params (string Name, object? Value)[] parameters) =>
        SqliteStatements.ReadWhile(connection, transaction, sql, read, parameters);
}
