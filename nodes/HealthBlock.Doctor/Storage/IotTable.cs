using HealthBlock.Crypto;
using HealthBlock.Protocol.Content;

namespace HealthBlock.Doctor.Storage;

/// <summary>
/// The <c>iot</c> table: the IoT transactions of patients that authorised this doctor at some time, by transaction id,
/// with their ledger order, what the doctor needs to fetch and open them, their <see cref="IotState"/> and the
/// diagnosis that covers them. Every state change goes through <see cref="Move"/>, which counts it.
/// </summary>
internal sealed class IotTable(DoctorDatabase db)
{
    /// <summary>The table.</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS iot (
            tx_id TEXT PRIMARY KEY, ord INTEGER NOT NULL, patient TEXT NOT NULL, epoch INTEGER NOT NULL,
            batch INTEGER NOT NULL, cid TEXT NOT NULL, window_start_ms INTEGER NOT NULL, window_end_ms INTEGER NOT NULL,
            state INTEGER NOT NULL, diagnosis INTEGER, reason TEXT, seen_ms INTEGER NOT NULL, changed_ms INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS iot_patient_state ON iot (patient, state, ord);
        CREATE INDEX IF NOT EXISTS iot_state ON iot (state);
        CREATE INDEX IF NOT EXISTS iot_diagnosis ON iot (diagnosis);
        """;

    private const long HeightStride = 100_000;

    /// <summary>The ledger-order key of a transaction.</summary>
    public static long OrderOf(ulong height, int index) => checked(((long)height * HeightStride) + index);

    /// <summary>The oldest pending IoT transactions of a patient, all of one epoch, at most <paramref name="max"/>.</summary>
    public List<IotItem> TakePending(IdentityId patient, int max) => db.Read(s =>
    {
        var list = new List<IotItem>();
        s.Read(
            $"SELECT tx_id, ord, epoch, batch, cid, window_start_ms, window_end_ms FROM iot WHERE patient = $p AND state = {States.Sql(IotState.Pending)} ORDER BY ord LIMIT $m",
            r =>
            {
                var epoch = (uint)r.GetInt64(2);
                if (list.Count > 0 && list[0].Epoch != epoch)
                {
                    return false;
                }

                list.Add(new IotItem(r.GetString(0), r.GetInt64(1), patient, epoch, (ulong)r.GetInt64(3), Cid.Parse(r.GetString(4)), r.GetInt64(5), r.GetInt64(6)));
                return true;
            },
            ("$p", patient.ToString()),
            ("$m", max));
        return list;
    });

    /// <summary>Patients with IoT transactions in <paramref name="state"/>.</summary>
    public List<IdentityId> PatientsWith(IotState state) => db.Read(s =>
        s.Query("SELECT DISTINCT patient FROM iot WHERE state = $s", r => IdentityId.Parse(r.GetString(0)), ("$s", state)));

    /// <summary>IoT transaction counts by state (indexed by <see cref="IotState"/>).</summary>
    public long[] CountStates() => db.Read(s =>
    {
        var counts = new long[States.IotStateCount];
        foreach (var (state, count) in s.Query("SELECT state, COUNT(*) FROM iot GROUP BY state", r => (r.GetInt32(0), r.GetInt64(1))))
        {
            counts[state] = count;
        }

        return counts;
    });

    /// <summary>The state of an IoT transaction, or null when not recorded.</summary>
    public IotState? StateOf(string txId) => db.Read(s =>
        s.Scalar("SELECT state FROM iot WHERE tx_id = $t", ("$t", txId)) is long v ? (IotState)v : (IotState?)null);

    /// <summary>Moves IoT transactions to <paramref name="to"/> (only those in one of <paramref name="from"/>).</summary>
    public StateDelta SetState(IEnumerable<string> txIds, IotState to, string? reason, long nowMs, params IotState[] from) => db.Write(s =>
    {
        var delta = new StateDelta();
        foreach (var id in txIds)
        {
            Move(s, delta, $"tx_id = $t AND state IN {States.Sql(from)}", to, reason, nowMs, ("$t", id));
        }

        return delta;
    });

    /// <summary>Moves a patient's IoT transactions awaiting payment back to pending; returns how many.</summary>
    public (int Moved, StateDelta Delta) ReleaseAwaiting(IdentityId patient, long nowMs) => db.Write(s =>
    {
        var delta = new StateDelta();
        var moved = ReleaseAwaiting(s, delta, patient, nowMs);
        return (moved, delta);
    });

    /// <summary>Moves a patient's IoT transactions awaiting payment back to pending inside a call; returns how many.</summary>
    public static int ReleaseAwaiting(SqlScope s, StateDelta delta, IdentityId patient, long nowMs) =>
        Move(s, delta, $"patient = $p AND state = {States.Sql(IotState.AwaitingPayment)}", IotState.Pending, null, nowMs, ("$p", patient.ToString()));

    /// <summary>Moves a patient's waiting IoT transactions (<see cref="States.Waiting"/>) to <paramref name="to"/>.</summary>
    public static int MoveWaiting(SqlScope s, StateDelta delta, IdentityId patient, IotState to, string? reason, long nowMs) =>
        Move(s, delta, $"patient = $p AND state IN {States.Sql(States.Waiting)}", to, reason, nowMs, ("$p", patient.ToString()));

    /// <summary>True when the IoT transaction is recorded.</summary>
    public static bool Exists(SqlScope s, string txId) => s.Exists("SELECT 1 FROM iot WHERE tx_id = $t", ("$t", txId));

    /// <summary>Records a new IoT transaction in <paramref name="state"/>.</summary>
    public static void Insert(SqlScope s, StateDelta delta, IotItem item, IotState state, string? reason, long nowMs)
    {
        s.Execute(
            """
            INSERT INTO iot (tx_id, ord, patient, epoch, batch, cid, window_start_ms, window_end_ms, state, reason, seen_ms, changed_ms)
            VALUES ($t, $o, $p, $e, $b, $c, $ws, $we, $s, $r, $now, $now)
            """,
            ("$t", item.TxId),
            ("$o", item.Order),
            ("$p", item.Patient.ToString()),
            ("$e", (long)item.Epoch),
            ("$b", (long)item.Batch),
            ("$c", item.Cid.ToString()),
            ("$ws", item.WindowStartMs),
            ("$we", item.WindowEndMs),
            ("$s", state),
            ("$r", reason),
            ("$now", nowMs));
        delta.Move(null, state);
    }

    /// <summary>True when every one of <paramref name="txIds"/> is pending.</summary>
    public static bool AllPending(SqlScope s, IEnumerable<string> txIds)
    {
        foreach (var id in txIds)
        {
            if (!s.Exists($"SELECT 1 FROM iot WHERE tx_id = $t AND state = {States.Sql(IotState.Pending)}", ("$t", id)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Moves the IoT rows matching <paramref name="where"/> to <paramref name="to"/>, counting the moves; returns how many moved.</summary>
    public static int Move(SqlScope s, StateDelta delta, string where, IotState to, string? reason, long nowMs, params (string Name, object? Value)[] parameters)
    {
        var moved = 0;
        foreach (var (from, count) in s.Query($"SELECT state, COUNT(*) FROM iot WHERE ({where}) GROUP BY state", r => ((IotState)r.GetInt32(0), r.GetInt64(1)), parameters))
        {
            if (from != to)
            {
                delta.Move(from, to, count);
                moved += (int)count;
            }
        }

        if (moved > 0)
        {
            s.Execute(
                $"UPDATE iot SET state = $to, reason = $reason, changed_ms = $now WHERE ({where}) AND state <> $to",
                [.. parameters, ("$to", to), ("$reason", reason), ("$now", nowMs)]);
        }

        return moved;
    }
}
