using HealthBlock.Data;
using Microsoft.Data.Sqlite;

namespace HealthBlock.Gateway.Statistics;

/// <summary>A period's contribution as the store keeps it once it is signed.</summary>
/// <param name="StartMs">Start of the period.</param>
/// <param name="Transaction">The signed contribution transaction.</param>
internal sealed record SignedContribution(long StartMs, byte[] Transaction);

/// <summary>
/// The statistics contributor's own SQLite database, <c>statistics.db</c> in the gateway's data folder (WAL,
/// <c>synchronous=FULL</c>): the journal position read up to, the open periods' counters (saved with that position in one
/// transaction, so after a crash no frame is counted twice or lost from a saved period), what became of each closed period
/// (committed, skipped without consent, refused), the signed transaction of the period being submitted, and how far the
/// patient's consent was read from the ledger. It is a database of its own so the gateway's schema stays as it is.
/// </summary>
internal sealed class StatisticsStore : IDisposable
{
    public const string FileName = "statistics.db";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS periods (
            start_ms INTEGER PRIMARY KEY, end_ms INTEGER NOT NULL, counters BLOB NOT NULL, state TEXT NOT NULL,
            tx BLOB, tx_id TEXT, reason TEXT);
        """;

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private StatisticsStore(SqliteConnection connection) => _connection = connection;

    public static StatisticsStore Open(string dataFolder)
    {
        var connection = SqliteDatabase.Open(dataFolder, FileName, durable: true);
        try
        {
            SqliteStatements.Execute(connection, Schema);
            return new StatisticsStore(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A named value, or <paramref name="fallback"/>.</summary>
    public long Meta(string name, long fallback) => Run(c =>
        SqliteStatements.Scalar(c, null, "SELECT value FROM meta WHERE name = $n", ("$n", name)) is long v ? v : fallback);

    /// <summary>Sets named values in one transaction.</summary>
    public void SetMeta(params ReadOnlySpan<(string Name, long Value)> values)
    {
        var copy = values.ToArray();
        Run(c =>
        {
            using var tx = c.BeginTransaction();
            foreach (var (name, value) in copy)
            {
                SetMeta(c, tx, name, value);
            }

            tx.Commit();
        });
    }

    /// <summary>Saves the open periods' counters and the journal position they include, together.</summary>
    public void SaveProgress(long cursor, IEnumerable<PeriodCounters> periods)
    {
        var rows = periods.Select(p => (p.StartMs, p.EndMs, Bytes: p.ToBytes())).ToList();
        Run(c =>
        {
            using var tx = c.BeginTransaction();
            foreach (var (start, end, bytes) in rows)
            {
                SqliteStatements.NonQuery(c, tx, """
                    INSERT INTO periods (start_ms, end_ms, counters, state) VALUES ($s, $e, $b, 'open')
                    ON CONFLICT(start_ms) DO UPDATE SET counters = excluded.counters WHERE state = 'open'
                    """, ("$s", start), ("$e", end), ("$b", bytes));
            }

            SetMeta(c, tx, "cursor", cursor);
            tx.Commit();
        });
    }

    /// <summary>The periods still open, oldest first.</summary>
    public List<PeriodCounters> OpenPeriods() => Run(c => SqliteStatements.Rows(c, null,
        "SELECT start_ms, end_ms, counters FROM periods WHERE state = 'open' ORDER BY start_ms",
        r => PeriodCounters.FromBytes(r.GetInt64(0), r.GetInt64(1), (byte[])r[2])));

    /// <summary>Records the signed contribution of a period before it is submitted.</summary>
    public void Sign(PeriodCounters period, byte[] transaction, string transactionId) => Run(c =>
        SqliteStatements.NonQuery(c, null, """
            INSERT INTO periods (start_ms, end_ms, counters, state, tx, tx_id) VALUES ($s, $e, $b, 'signed', $t, $i)
            ON CONFLICT(start_ms) DO UPDATE SET state = 'signed', counters = excluded.counters, tx = excluded.tx, tx_id = excluded.tx_id
            """, ("$s", period.StartMs), ("$e", period.EndMs), ("$b", period.ToBytes()), ("$t", transaction), ("$i", transactionId)));

    /// <summary>The period whose contribution is signed but not known to be committed, if any.</summary>
    public SignedContribution? Signed() => Run(c => SqliteStatements.Rows(c, null,
        "SELECT start_ms, tx FROM periods WHERE state = 'signed' ORDER BY start_ms LIMIT 1",
        r => new SignedContribution(r.GetInt64(0), (byte[])r[1])).SingleOrDefault());

    /// <summary>Closes a period for good: committed, skipped (no consent) or refused, with the reason.</summary>
    public void Finish(long startMs, long endMs, string state, string? reason = null) => Run(c =>
        SqliteStatements.NonQuery(c, null, """
            INSERT INTO periods (start_ms, end_ms, counters, state, reason) VALUES ($s, $e, x'', $st, $r)
            ON CONFLICT(start_ms) DO UPDATE SET state = excluded.state, reason = excluded.reason
            """, ("$s", startMs), ("$e", endMs), ("$st", state), ("$r", reason)));

    /// <summary>Closed periods by state.</summary>
    public Dictionary<string, long> CountByState() => Run(c => SqliteStatements.Rows(c, null,
        "SELECT state, COUNT(*) FROM periods GROUP BY state", r => (r.GetString(0), r.GetInt64(1))).ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal));

    public void Dispose() => _connection.Dispose();

    private static void SetMeta(SqliteConnection c, SqliteTransaction tx, string name, long value) =>
        SqliteStatements.NonQuery(c, tx, "INSERT INTO meta (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = excluded.value", ("$n", name), ("$v", value));

    private T Run<T>(Func<SqliteConnection, T> work)
    {
        lock (_lock)
        {
            return work(_connection);
        }
    }

    private void Run(Action<SqliteConnection> work)
    {
        lock (_lock)
        {
            work(_connection);
        }
    }
}
