using HealthBlock.Data;
namespace HealthBlock.Gateway.Store;

/// <summary>The <c>rejections</c> table: refused frames by reason, kept across restarts.</summary>
internal sealed class RejectionTable(GatewayStore store)
{
    public Dictionary<string, long> Totals() => store.Run(c =>
        SqliteStatements.Rows(c, null, "SELECT reason, count FROM rejections", r => (r.GetString(0), r.GetInt64(1))).ToDictionary(x => x.Item1, x => x.Item2));

    /// <summary>Sets the totals of the given reasons.</summary>
    public void Save(IEnumerable<KeyValuePair<string, long>> totals) => store.Run(c =>
    {
        using var tx = c.BeginTransaction();
        foreach (var (reason, count) in totals)
        {
            SqliteStatements.NonQuery(c, tx, "INSERT INTO rejections (reason, count) VALUES ($r, $c) ON CONFLICT(reason) DO UPDATE SET count = excluded.count", ("$r", reason), ("$c", count));
        }

        tx.Commit();
    });
}
