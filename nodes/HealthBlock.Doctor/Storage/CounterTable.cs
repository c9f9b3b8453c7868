namespace HealthBlock.Doctor.Storage;

/// <summary>The <c>meta</c> (named blobs) and <c>counters</c> (named integers that only grow) tables.</summary>
internal sealed class CounterTable(DoctorDatabase db)
{
    /// <summary>Counter: the next Userchain height to handle.</summary>
    public const string UserchainCursor = "userchain-cursor";

    /// <summary>Counter: the Docchain height up to which this doctor's diagnoses were reconciled.</summary>
    public const string DocchainReconciled = "docchain-reconciled";

    /// <summary>Counter: the highest diagnosis number reserved.</summary>
    public const string DiagnosisNumber = "diagnosis-number";

    /// <summary>Counter: the highest transaction nonce used.</summary>
    public const string Nonce = "doctor-nonce";

    /// <summary>The tables.</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        """;

    /// <summary>A meta value, or null.</summary>
    public byte[]? GetMeta(string name) => db.Read(s => s.Scalar("SELECT value FROM meta WHERE name = $n", ("$n", name)) as byte[]);

    /// <summary>Sets a meta value unless one exists; true when this call set it.</summary>
    public bool SetMetaIfAbsent(string name, byte[] value) => db.WriteDurable(s =>
        s.Execute("INSERT OR IGNORE INTO meta (name, value) VALUES ($n, $v)", ("$n", name), ("$v", value)) == 1);

    /// <summary>Sets a meta value inside a call, replacing any.</summary>
    public static void SetMeta(SqlScope s, string name, byte[] value) =>
        s.Execute("INSERT INTO meta (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = excluded.value", ("$n", name), ("$v", value));

    /// <summary>A counter's value (0 when never set).</summary>
    public ulong Get(string name) => db.Read(s => Read(s, name));

    /// <summary>Raises a counter to at least <paramref name="value"/>.</summary>
    public void Raise(string name, ulong value) => db.WriteDurable(s =>
    {
        Raise(s, name, value);
        return true;
    });

    /// <summary>Reserves <paramref name="count"/> values after the counter's current value; returns the first one.</summary>
    public ulong Reserve(string name, ulong count) => db.WriteDurable(s =>
    {
        var first = Read(s, name) + 1;
        s.Execute("INSERT INTO counters (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = excluded.value", ("$n", name), ("$v", (long)(first + count - 1)));
        return first;
    });

    /// <summary>A counter's value inside a call.</summary>
    public static ulong Read(SqlScope s, string name) =>
        s.Scalar("SELECT value FROM counters WHERE name = $n", ("$n", name)) is long v ? (ulong)v : 0;

    /// <summary>Raises a counter inside a call.</summary>
    public static void Raise(SqlScope s, string name, ulong value) =>
        s.Execute("INSERT INTO counters (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = MAX(value, excluded.value)", ("$n", name), ("$v", (long)value));
}
