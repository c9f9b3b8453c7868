using HealthBlock.Crypto;

namespace HealthBlock.Doctor.Storage;

/// <summary>
/// The <c>patients</c> table (every patient whose key transaction named this doctor at some time: authorised now or
/// not, latest epoch, refused by the ledger) and <c>epoch_keys</c> (their IoT and diagnosis keys by epoch, sealed).
/// </summary>
internal sealed class PatientTable(DoctorDatabase db)
{
    /// <summary>The tables.</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS patients (
            patient TEXT PRIMARY KEY, authorised INTEGER NOT NULL, epoch INTEGER NOT NULL,
            refused INTEGER NOT NULL DEFAULT 0, changed_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS epoch_keys (
            patient TEXT NOT NULL, epoch INTEGER NOT NULL, sealed_iot_key BLOB NOT NULL,
            sealed_diagnosis_key BLOB NOT NULL, key_tx TEXT NOT NULL, PRIMARY KEY (patient, epoch));
        """;

    /// <summary>What the doctor knows about a patient, or null when no key transaction ever named it.</summary>
    public PatientRow? Get(IdentityId patient) => db.Read(s => Read(s, patient));

    /// <summary>The patients this doctor serves now (authorised and not refused).</summary>
    public List<IdentityId> Served() => db.Read(s =>
        s.Query("SELECT patient FROM patients WHERE authorised = 1 AND refused = 0 ORDER BY patient", r => IdentityId.Parse(r.GetString(0))));

    /// <summary>Every patient with keys, and the epochs this doctor holds keys of.</summary>
    public IReadOnlyDictionary<IdentityId, uint[]> KeyedEpochs() => db.Read(s =>
        s.Query("SELECT patient, epoch FROM epoch_keys ORDER BY patient, epoch", r => (IdentityId.Parse(r.GetString(0)), (uint)r.GetInt64(1)))
            .GroupBy(p => p.Item1)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Item2).ToArray()));

    /// <summary>The sealed keys of a patient's epoch, or null.</summary>
    public SealedEpochKeys? GetKeys(IdentityId patient, uint epoch) => db.Read(s =>
        s.Query(
            "SELECT sealed_iot_key, sealed_diagnosis_key FROM epoch_keys WHERE patient = $p AND epoch = $e",
            r => new SealedEpochKeys((byte[])r[0], (byte[])r[1]),
            ("$p", patient.ToString()),
            ("$e", (long)epoch)).FirstOrDefault());

    /// <summary>Records that the ledger refused this doctor for a patient: its waiting IoT transactions are not served.</summary>
    public StateDelta SetRefused(IdentityId patient, long nowMs) => db.Write(s =>
    {
        var delta = new StateDelta();
        s.Execute("UPDATE patients SET refused = 1, changed_ms = $now WHERE patient = $p", ("$p", patient.ToString()), ("$now", nowMs));
        IotTable.MoveWaiting(s, delta, patient, IotState.NotAuthorised, "the ledger refused this doctor", nowMs);
        return delta;
    });

    /// <summary>Reads a patient inside a call.</summary>
    public static PatientRow? Read(SqlScope s, IdentityId patient) =>
        s.Query(
            "SELECT authorised, epoch, refused FROM patients WHERE patient = $p",
            r => new PatientRow(patient, r.GetInt64(0) != 0, (uint)r.GetInt64(1), r.GetInt64(2) != 0),
            ("$p", patient.ToString())).FirstOrDefault();

    /// <summary>Records a patient's latest key transaction; naming the doctor again clears a refusal.</summary>
    public static void Upsert(SqlScope s, IdentityId patient, bool authorised, uint epoch, long nowMs) =>
        s.Execute(
            """
            INSERT INTO patients (patient, authorised, epoch, refused, changed_ms) VALUES ($p, $a, $e, 0, $now)
            ON CONFLICT(patient) DO UPDATE SET authorised = excluded.authorised, epoch = excluded.epoch,
                refused = CASE WHEN excluded.authorised = 1 THEN 0 ELSE refused END, changed_ms = excluded.changed_ms
            """,
            ("$p", patient.ToString()),
            ("$a", authorised ? 1 : 0),
            ("$e", (long)epoch),
            ("$now", nowMs));

    /// <summary>Stores the sealed keys a key transaction granted.</summary>
    public static void StoreKeys(SqlScope s, KeyGrantedOp granted) =>
        s.Execute(
            "INSERT OR REPLACE INTO epoch_keys (patient, epoch, sealed_iot_key, sealed_diagnosis_key, key_tx) VALUES ($p, $e, $i, $d, $k)",
            ("$p", granted.Patient.ToString()),
            ("$e", (long)granted.Epoch),
            ("$i", granted.SealedIotKey),
            ("$d", granted.SealedDiagnosisKey),
            ("$k", granted.KeyTxId));

    /// <summary>True when the doctor holds the patient's keys of <paramref name="epoch"/>.</summary>
    public static bool HasKeys(SqlScope s, IdentityId patient, uint epoch) =>
        s.Exists("SELECT 1 FROM epoch_keys WHERE patient = $p AND epoch = $e", ("$p", patient.ToString()), ("$e", (long)epoch));
}
