using HealthBlock.Data;
namespace HealthBlock.Gateway.Store;

/// <summary>The <c>meta</c> (named values) and <c>counters</c> tables.</summary>
internal sealed class MetaTable(GatewayStore store)
{
    public byte[]? Get(string name) => store.Run(c => SqliteStatements.Scalar(c, null, "SELECT value FROM meta WHERE name = $n", ("$n", name)) as byte[]);

    /// <summary>Sets a value, replacing any there was.</summary>
    public void Set(string name, byte[] value) => store.Run(c =>
        SqliteStatements.NonQuery(c, null, "INSERT INTO meta (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = excluded.value", ("$n", name), ("$v", value)));

    /// <summary>Sets a value unless one exists; returns the value stored (this one, or the one there before).</summary>
    public byte[] GetOrAdd(string name, byte[] value) => store.Run(c =>
    {
        SqliteStatements.NonQuery(c, null, "INSERT OR IGNORE INTO meta (name, value) VALUES ($n, $v)", ("$n", name), ("$v", value));
        return (byte[])SqliteStatements.Scalar(c, null, "SELECT value FROM meta WHERE name = $n", ("$n", name))!;
    });

    /// <summary>Takes the next value of a counter (its last value + 1), atomically and durably.</summary>
    public ulong Next(string name) => store.Run(c =>
        (ulong)(long)SqliteStatements.Scalar(c, null, "INSERT INTO counters (name, value) VALUES ($n, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value", ("$n", name))!);

    /// <summary>Raises a counter to at least <paramref name="value"/>; never lowers it.</summary>
    public void RaiseTo(string name, ulong value) => store.Run(c =>
        SqliteStatements.NonQuery(c, null, "INSERT INTO counters (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = MAX(value, excluded.value)", ("$n", name), ("$v", (long)value)));
}
