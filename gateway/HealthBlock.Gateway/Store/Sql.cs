namespace HealthBlock.Gateway.Store;

/// <summary>How the gateway stores device ids in SQLite (statements go through <see cref="HealthBlock.Data.SqliteStatements"/>).</summary>
internal static class Sql
{
    /// <summary>A device id as SQLite stores it (a signed 64-bit integer with the same bits).</summary>
    public static long Device(ulong id) => unchecked((long)id);

    /// <summary>A device id read back from SQLite.</summary>
    public static ulong Device(long stored) => unchecked((ulong)stored);
}
