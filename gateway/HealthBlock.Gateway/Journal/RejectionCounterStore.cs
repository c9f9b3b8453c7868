using HealthBlock.Gateway.Ingest;

namespace HealthBlock.Gateway.Journal;

/// <summary>Keeps the rejection counters in the database across restarts, for <c>healthblock patient status</c>.</summary>
public sealed class RejectionCounterStore
{
    private readonly GatewayDatabase _database;
    private readonly Dictionary<string, long> _base;

    /// <summary>Loads the counters persisted by earlier runs.</summary>
    public RejectionCounterStore(GatewayDatabase database)
    {
        _database = database;
        _base = Load(database);
    }

    /// <summary>Reads the persisted totals.</summary>
    public static Dictionary<string, long> Load(GatewayDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.Run(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT reason, count FROM rejections";
            using var reader = cmd.ExecuteReader();
            var totals = new Dictionary<string, long>();
            while (reader.Read())
            {
                totals[reader.GetString(0)] = reader.GetInt64(1);
            }

            return totals;
        });
    }

    /// <summary>Writes earlier totals plus this run's counts.</summary>
    public void Save(IReadOnlyDictionary<RejectionReason, long> sinceStart)
    {
        ArgumentNullException.ThrowIfNull(sinceStart);
        _database.Run(connection =>
        {
            using var tx = connection.BeginTransaction();
            foreach (var (reason, count) in sinceStart)
            {
                using var cmd = connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = "INSERT INTO rejections (reason, count) VALUES ($r, $c) ON CONFLICT(reason) DO UPDATE SET count = excluded.count";
                cmd.Parameters.AddWithValue("$r", reason.ToString());
                cmd.Parameters.AddWithValue("$c", _base.GetValueOrDefault(reason.ToString()) + count);
                cmd.ExecuteNonQuery();
            }

            tx.Commit();
        });
    }
}
