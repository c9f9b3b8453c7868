using HealthBlock.Crypto;
using Microsoft.Data.Sqlite;

namespace HealthBlock.Doctor.Storage;

/// <summary>A diagnosis of this doctor found committed on Docchain.</summary>
/// <param name="TxId">Its transaction id (hex).</param>
/// <param name="Patient">Whom it is about (it consumed one fee of that patient's credit).</param>
/// <param name="Covers">The IoT transactions it covers (hex).</param>
internal sealed record FoundDiagnosis(string TxId, IdentityId Patient, IReadOnlyList<string> Covers);

/// <summary>
/// The <c>diagnoses</c> table (every diagnosis transaction this doctor signed — automated ones and clinician notes —
/// persisted before it is submitted, with its <see cref="DiagnosisState"/>) and <c>covered</c> (IoT transactions a
/// committed diagnosis of this doctor covers, so none is covered twice).
/// </summary>
internal sealed class DiagnosisTable(DoctorDatabase db)
{
    /// <summary>The tables.</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS diagnoses (
            number INTEGER PRIMARY KEY, patient TEXT NOT NULL, epoch INTEGER NOT NULL, kind TEXT NOT NULL,
            tx BLOB NOT NULL, tx_id TEXT NOT NULL, nonce INTEGER NOT NULL, cid TEXT NOT NULL,
            earliest_reading_ms INTEGER, state INTEGER NOT NULL, reason TEXT, location TEXT,
            created_ms INTEGER NOT NULL, committed_ms INTEGER);
        CREATE INDEX IF NOT EXISTS diagnoses_state ON diagnoses (state, nonce);
        CREATE INDEX IF NOT EXISTS diagnoses_tx ON diagnoses (tx_id);
        CREATE TABLE IF NOT EXISTS covered (iot_tx_id TEXT PRIMARY KEY, diagnosis_tx_id TEXT NOT NULL);
        """;

    private const string Columns = "number, patient, epoch, kind, tx, tx_id, nonce, cid, earliest_reading_ms, state, reason";

    /// <summary>Signed diagnoses not yet committed or refused, in nonce order.</summary>
    public List<DiagnosisRow> Signed() => db.Read(s => s.Query($"SELECT {Columns} FROM diagnoses WHERE state = {States.Sql(DiagnosisState.Signed)} ORDER BY nonce", ReadRow));

    /// <summary>The diagnosis with transaction id <paramref name="txId"/>, or null.</summary>
    public DiagnosisRow? Find(string txId) => db.Read(s => s.Query($"SELECT {Columns} FROM diagnoses WHERE tx_id = $t", ReadRow, ("$t", txId)).FirstOrDefault());

    /// <summary>The IoT transactions a diagnosis covers, ascending.</summary>
    public List<string> CoveredBy(long number) => db.Read(s =>
        s.Query("SELECT tx_id FROM iot WHERE diagnosis = $n ORDER BY tx_id", r => r.GetString(0), ("$n", number)));

    /// <summary>Diagnosis counts: committed automated ones, committed notes, and refusals by reason.</summary>
    public DiagnosisCounts Count() => db.Read(s =>
    {
        long screenings = 0, notes = 0;
        var refusals = new Dictionary<string, long>(StringComparer.Ordinal);
        var rows = s.Query(
            $"SELECT kind, state, COALESCE(reason, ''), COUNT(*) FROM diagnoses WHERE state <> {States.Sql(DiagnosisState.Signed)} GROUP BY kind, state, reason",
            r => (Kind: r.GetString(0), State: (DiagnosisState)r.GetInt32(1), Reason: r.GetString(2), Count: r.GetInt64(3)));
        foreach (var (kind, state, reason, n) in rows)
        {
            if (state != DiagnosisState.Committed)
            {
                refusals[reason] = refusals.GetValueOrDefault(reason) + n;
            }
            else if (kind == DiagnosisKinds.ClinicianNote)
            {
                notes += n;
            }
            else
            {
                screenings += n;
            }
        }

        return new DiagnosisCounts(screenings, notes, refusals);
    });

    /// <summary>
    /// Persists a signed diagnosis before it is submitted and marks the IoT transactions it covers as in diagnosis;
    /// raises the nonce counter to its nonce.
    /// </summary>
    /// <returns>The state changes, or null (and nothing recorded) when one of them is no longer pending.</returns>
    public StateDelta? RecordSigned(DiagnosisRow row, IReadOnlyList<string> covers, long nowMs) => db.WriteDurable(s =>
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!IotTable.AllPending(s, covers))
        {
            // Revoked or refused meanwhile: record nothing.
            return null;
        }

        s.Execute(
            """
            INSERT INTO diagnoses (number, patient, epoch, kind, tx, tx_id, nonce, cid, earliest_reading_ms, state, created_ms)
            VALUES ($n, $p, $e, $k, $x, $t, $o, $c, $r, $s, $now)
            """,
            ("$n", row.Number),
            ("$p", row.Patient.ToString()),
            ("$e", (long)row.Epoch),
            ("$k", row.Kind),
            ("$x", row.Transaction),
            ("$t", row.TxId),
            ("$o", (long)row.Nonce),
            ("$c", row.Cid),
            ("$r", row.EarliestReadingMs),
            ("$s", DiagnosisState.Signed),
            ("$now", nowMs));
        var delta = new StateDelta();
        foreach (var id in covers)
        {
            s.Execute($"UPDATE iot SET state = $to, diagnosis = $n, changed_ms = $now WHERE tx_id = $t", ("$to", IotState.InDiagnosis), ("$n", row.Number), ("$t", id), ("$now", nowMs));
            delta.Move(IotState.Pending, IotState.InDiagnosis);
        }

        CounterTable.Raise(s, CounterTable.Nonce, row.Nonce);
        return delta;
    });

    /// <summary>Replaces a signed diagnosis transaction (re-signed with a fresh nonce; same document).</summary>
    public void UpdateSigned(long number, byte[] transaction, string txId, ulong nonce) => db.WriteDurable(s =>
    {
        s.Execute(
            $"UPDATE diagnoses SET tx = $x, tx_id = $t, nonce = $o WHERE number = $n AND state = {States.Sql(DiagnosisState.Signed)}",
            ("$x", transaction),
            ("$t", txId),
            ("$o", (long)nonce),
            ("$n", number));
        CounterTable.Raise(s, CounterTable.Nonce, nonce);
        return true;
    });

    /// <summary>Marks a diagnosis committed, the IoT transactions it covers diagnosed, and its fee consumed.</summary>
    public (bool Changed, StateDelta Delta) MarkCommitted(long number, string txId, string location, long nowMs) => db.Write(s =>
    {
        var delta = new StateDelta();
        var changed = s.Execute(
            $"UPDATE diagnoses SET state = $s, tx_id = $t, location = $l, committed_ms = $now WHERE number = $n AND state <> $s",
            ("$s", DiagnosisState.Committed),
            ("$t", txId),
            ("$l", location),
            ("$n", number),
            ("$now", nowMs)) == 1;
        if (changed)
        {
            s.Execute("INSERT OR IGNORE INTO covered (iot_tx_id, diagnosis_tx_id) SELECT tx_id, $t FROM iot WHERE diagnosis = $n", ("$t", txId), ("$n", number));
            IotTable.Move(s, delta, $"diagnosis = $n AND state <> {States.Sql(IotState.Diagnosed)}", IotState.Diagnosed, null, nowMs, ("$n", number));
            var patient = (string)s.Scalar("SELECT patient FROM diagnoses WHERE number = $n", ("$n", number))!;
            CreditTable.RecordFee(s, txId, IdentityId.Parse(patient));
        }

        return (changed, delta);
    });

    /// <summary>Marks a diagnosis refused; the IoT transactions it covered move to <paramref name="covered"/>.</summary>
    public (bool Changed, StateDelta Delta) MarkRefused(long number, string reason, IotState covered, long nowMs) => db.Write(s =>
    {
        var delta = new StateDelta();
        var changed = s.Execute(
            "UPDATE diagnoses SET state = $refused, reason = $r WHERE number = $n AND state = $signed",
            ("$refused", DiagnosisState.Refused),
            ("$signed", DiagnosisState.Signed),
            ("$r", reason),
            ("$n", number)) == 1;
        if (changed)
        {
            IotTable.Move(s, delta, $"diagnosis = $n AND state = {States.Sql(IotState.InDiagnosis)}", covered, reason, nowMs, ("$n", number));
            s.Execute($"UPDATE iot SET diagnosis = NULL WHERE diagnosis = $n AND state <> {States.Sql(IotState.Diagnosed)}", ("$n", number));
        }

        return (changed, delta);
    });

    /// <summary>
    /// Records diagnoses of this doctor found on Docchain: the IoT transactions they cover become diagnosed (never to be
    /// covered again) and their fees count against the patients' credit; the reconciled height moves to <paramref name="reconciledHeight"/>.
    /// </summary>
    public StateDelta RecordFound(IEnumerable<FoundDiagnosis> found, ulong reconciledHeight, long nowMs) => db.Write(s =>
    {
        var delta = new StateDelta();
        foreach (var diagnosis in found)
        {
            CreditTable.RecordFee(s, diagnosis.TxId, diagnosis.Patient);
            foreach (var iot in diagnosis.Covers)
            {
                s.Execute("INSERT OR IGNORE INTO covered (iot_tx_id, diagnosis_tx_id) VALUES ($i, $d)", ("$i", iot), ("$d", diagnosis.TxId));
                IotTable.Move(s, delta, $"tx_id = $i AND state IN {States.Sql(States.Uncovered)}", IotState.Diagnosed, null, nowMs, ("$i", iot));
            }
        }

        CounterTable.Raise(s, CounterTable.DocchainReconciled, reconciledHeight);
        return delta;
    });

    /// <summary>True when a committed diagnosis of this doctor covers the IoT transaction.</summary>
    public static bool IsCovered(SqlScope s, string iotTxId) => s.Exists("SELECT 1 FROM covered WHERE iot_tx_id = $t", ("$t", iotTxId));

    private static DiagnosisRow ReadRow(SqliteDataReader r) => new(
        r.GetInt64(0),
        IdentityId.Parse(r.GetString(1)),
        (uint)r.GetInt64(2),
        r.GetString(3),
        (byte[])r[4],
        r.GetString(5),
        (ulong)r.GetInt64(6),
        r.GetString(7),
        r.IsDBNull(8) ? null : r.GetInt64(8),
        (DiagnosisState)r.GetInt32(9),
        r.IsDBNull(10) ? null : r.GetString(10));
}
