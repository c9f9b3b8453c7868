using HealthBlock.Crypto;
using HealthBlock.Protocol.Content;
using Microsoft.Data.Sqlite;

namespace HealthBlock.Doctor.Storage;

/// <summary>Where an IoT transaction of a served patient stands.</summary>
internal enum IotState
{
    /// <summary>To be diagnosed.</summary>
    Pending = 0,

    /// <summary>The patient's paid credit does not cover the fee; retried when a payment appears.</summary>
    AwaitingPayment = 1,

    /// <summary>Covered by a signed diagnosis that is not committed yet.</summary>
    InDiagnosis = 2,

    /// <summary>Covered by a committed diagnosis.</summary>
    Diagnosed = 3,

    /// <summary>Not served: the doctor holds no key for its epoch, was revoked, or the ledger refused it.</summary>
    NotAuthorised = 4,

    /// <summary>Given up: its block cannot be fetched intact or decrypted, or the ledger refused its diagnosis for good.</summary>
    Failed = 5,
}

/// <summary>Where a diagnosis transaction stands.</summary>
internal enum DiagnosisState
{
    /// <summary>Signed and persisted; submitted or to be submitted.</summary>
    Signed = 0,

    /// <summary>Committed on Docchain.</summary>
    Committed = 1,

    /// <summary>Refused by the ledger.</summary>
    Refused = 2,
}

/// <summary>An IoT transaction to diagnose.</summary>
internal sealed record IotItem(string TxId, long Order, IdentityId Patient, uint Epoch, ulong Batch, Cid Cid, long WindowStartMs, long WindowEndMs);

/// <summary>What the doctor knows about a patient.</summary>
/// <param name="Patient">The patient.</param>
/// <param name="Authorised">True while the patient's latest key transaction names this doctor.</param>
/// <param name="Epoch">The epoch of the patient's latest key transaction.</param>
/// <param name="Refused">True after the ledger refused a diagnosis as not authorised (cleared by a new key transaction naming the doctor).</param>
internal sealed record PatientRow(IdentityId Patient, bool Authorised, uint Epoch, bool Refused);

/// <summary>A diagnosis transaction this doctor signed.</summary>
internal sealed record DiagnosisRow(long Number, IdentityId Patient, uint Epoch, string Kind, byte[] Transaction, string TxId, ulong Nonce, string Cid, long? EarliestReadingMs, DiagnosisState State, string? Reason);

/// <summary>One change the ledger's Userchain brings, as the doctor records it.</summary>
internal abstract record IngestOp;

/// <summary>A key transaction names this doctor: its sealed keys for the epoch.</summary>
internal sealed record KeyGrantedOp(IdentityId Patient, uint Epoch, byte[] SealedIotKey, byte[] SealedDiagnosisKey, string KeyTxId) : IngestOp;

/// <summary>A key transaction of a patient does not name this doctor (or its envelopes did not open).</summary>
internal sealed record KeyWithdrawnOp(IdentityId Patient, uint Epoch, string Reason) : IngestOp;

/// <summary>An IoT transaction.</summary>
internal sealed record IotOp(IotItem Item) : IngestOp;

/// <summary>A payment from a patient to this doctor.</summary>
internal sealed record PaymentOp(IdentityId Patient) : IngestOp;

/// <summary>Counts of IoT transactions moved between states by one database call.</summary>
internal sealed class StateDelta
{
    private readonly long[] _counts = new long[6];

    public long this[IotState state] => _counts[(int)state];

    public void Move(IotState? from, IotState to, long count = 1)
    {
        if (from is { } f)
        {
            _counts[(int)f] -= count;
        }

        _counts[(int)to] += count;
    }

    public void ApplyTo(long[] totals)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            Interlocked.Add(ref totals[i], _counts[i]);
        }
    }
}

/// <summary>What ingesting a block changed.</summary>
/// <param name="Schedule">Patients with IoT transactions now pending.</param>
/// <param name="Delta">State counts.</param>
/// <param name="Withdrawn">Known patients whose key transaction no longer names this doctor.</param>
internal sealed record IngestResult(IReadOnlyCollection<IdentityId> Schedule, StateDelta Delta, IReadOnlyCollection<IdentityId> Withdrawn);

/// <summary>
/// The doctor's SQLite database (<c>doctor.db</c> in the data folder), WAL; <c>synchronous=FULL</c> for what must
/// survive a power cut (see <see cref="RunDurable{T}"/>): the Userchain
/// cursor, counters (diagnosis number, nonce), patients and their sealed keys by epoch, the IoT transactions of
/// served patients with their state, and the signed diagnosis transactions. A block's effects and the cursor move in
/// one SQLite transaction, so a restart resumes exactly after the last block handled. The node and the CLI may
/// open it at the same time.
/// </summary>
internal sealed class DoctorDatabase : IDisposable
{
    /// <summary>The database file name.</summary>
    public const string FileName = "doctor.db";

    /// <summary>Counter: the next Userchain height to handle.</summary>
    public const string UserchainCursor = "userchain-cursor";

    /// <summary>Counter: the Docchain height up to which this doctor's diagnoses were reconciled.</summary>
    public const string DocchainReconciled = "docchain-reconciled";

    /// <summary>Counter: the highest diagnosis number reserved.</summary>
    public const string DiagnosisNumber = "diagnosis-number";

    /// <summary>Counter: the highest transaction nonce used.</summary>
    public const string Nonce = "doctor-nonce";

    private const long HeightStride = 100_000;
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private DoctorDatabase(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The ledger-order key of a transaction.</summary>
    public static long OrderOf(ulong height, int index) => checked(((long)height * HeightStride) + index);

    /// <summary>Opens (creating if needed) the database in <paramref name="dataFolder"/>.</summary>
    public static DoctorDatabase Open(string dataFolder)
    {
        Directory.CreateDirectory(dataFolder);
        var path = System.IO.Path.Combine(dataFolder, FileName);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        try
        {
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;");
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS patients (
                    patient TEXT PRIMARY KEY, authorised INTEGER NOT NULL, epoch INTEGER NOT NULL,
                    refused INTEGER NOT NULL DEFAULT 0, changed_ms INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS epoch_keys (
                    patient TEXT NOT NULL, epoch INTEGER NOT NULL, sealed_iot_key BLOB NOT NULL,
                    sealed_diagnosis_key BLOB NOT NULL, key_tx TEXT NOT NULL, PRIMARY KEY (patient, epoch));
                CREATE TABLE IF NOT EXISTS iot (
                    tx_id TEXT PRIMARY KEY, ord INTEGER NOT NULL, patient TEXT NOT NULL, epoch INTEGER NOT NULL,
                    batch INTEGER NOT NULL, cid TEXT NOT NULL, window_start_ms INTEGER NOT NULL, window_end_ms INTEGER NOT NULL,
                    state INTEGER NOT NULL, diagnosis INTEGER, reason TEXT, seen_ms INTEGER NOT NULL, changed_ms INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS iot_patient_state ON iot (patient, state, ord);
                CREATE INDEX IF NOT EXISTS iot_state ON iot (state);
                CREATE INDEX IF NOT EXISTS iot_diagnosis ON iot (diagnosis);
                CREATE TABLE IF NOT EXISTS diagnoses (
                    number INTEGER PRIMARY KEY, patient TEXT NOT NULL, epoch INTEGER NOT NULL, kind TEXT NOT NULL,
                    tx BLOB NOT NULL, tx_id TEXT NOT NULL, nonce INTEGER NOT NULL, cid TEXT NOT NULL,
                    earliest_reading_ms INTEGER, state INTEGER NOT NULL, reason TEXT, location TEXT,
                    created_ms INTEGER NOT NULL, committed_ms INTEGER);
                CREATE INDEX IF NOT EXISTS diagnoses_state ON diagnoses (state, nonce);
                CREATE INDEX IF NOT EXISTS diagnoses_tx ON diagnoses (tx_id);
                CREATE TABLE IF NOT EXISTS covered (iot_tx_id TEXT PRIMARY KEY, diagnosis_tx_id TEXT NOT NULL);
                """);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new DoctorDatabase(path, connection);
    }

    // ------------------------------------------------------------------ meta and counters

    public byte[]? GetMeta(string name) => Run(c => Scalar(c, null, "SELECT value FROM meta WHERE name = $n", ("$n", name)) as byte[]);

    /// <summary>Sets a meta value unless one exists; true when this call set it.</summary>
    public bool SetMetaIfAbsent(string name, byte[] value) => RunDurable(c =>
        NonQuery(c, null, "INSERT OR IGNORE INTO meta (name, value) VALUES ($n, $v)", ("$n", name), ("$v", value)) == 1);

    public ulong GetCounter(string name) => Run(c => ReadCounter(c, null, name));

    /// <summary>Raises a counter to at least <paramref name="value"/>.</summary>
    public void RaiseCounter(string name, ulong value) => RunDurable(c =>
    {
        NonQuery(c, null, "INSERT INTO counters (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = MAX(value, excluded.value)", ("$n", name), ("$v", (long)value));
    });

    /// <summary>Reserves <paramref name="count"/> values after the counter's current value; returns the first one.</summary>
    public ulong Reserve(string name, ulong count) => RunDurable(c =>
    {
        using var tx = c.BeginTransaction(deferred: false);
        var first = ReadCounter(c, tx, name) + 1;
        NonQuery(c, tx, "INSERT INTO counters (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = excluded.value", ("$n", name), ("$v", (long)(first + count - 1)));
        tx.Commit();
        return first;
    });

    // ------------------------------------------------------------------ ingest

    /// <summary>Applies one Userchain block's effects and moves the cursor past it, atomically.</summary>
    public IngestResult Ingest(ulong height, IReadOnlyList<IngestOp> ops, long nowMs) => RunDurable(c =>
    {
        var delta = new StateDelta();
        var schedule = new HashSet<IdentityId>();
        var withdrawn = new HashSet<IdentityId>();
        using var tx = c.BeginTransaction(deferred: false);
        foreach (var op in ops)
        {
            switch (op)
            {
                case KeyGrantedOp g:
                    NonQuery(c, tx, "INSERT OR REPLACE INTO epoch_keys (patient, epoch, sealed_iot_key, sealed_diagnosis_key, key_tx) VALUES ($p, $e, $i, $d, $k)",
                        ("$p", g.Patient.ToString()), ("$e", (long)g.Epoch), ("$i", g.SealedIotKey), ("$d", g.SealedDiagnosisKey), ("$k", g.KeyTxId));
                    UpsertPatient(c, tx, g.Patient, true, g.Epoch, nowMs);
                    schedule.Add(g.Patient);
                    break;
                case KeyWithdrawnOp w:
                    if (ReadPatient(c, tx, w.Patient) is { } known)
                    {
                        if (known.Authorised)
                        {
                            withdrawn.Add(w.Patient);
                        }

                        UpsertPatient(c, tx, w.Patient, false, w.Epoch, nowMs);
                        MoveWhere(c, tx, delta, "patient = $p AND state IN (0, 1)", IotState.NotAuthorised, w.Reason, nowMs, ("$p", w.Patient.ToString()));
                    }

                    break;
                case IotOp { Item: var item }:
                    if (Scalar(c, tx, "SELECT 1 FROM iot WHERE tx_id = $t", ("$t", item.TxId)) is not null)
                    {
                        break;
                    }

                    var patient = ReadPatient(c, tx, item.Patient);
                    if (patient is null)
                    {
                        break;
                    }

                    IotState state;
                    string? reason = null;
                    if (Scalar(c, tx, "SELECT 1 FROM covered WHERE iot_tx_id = $t", ("$t", item.TxId)) is not null)
                    {
                        state = IotState.Diagnosed;
                    }
                    else if (!patient.Authorised || patient.Refused)
                    {
                        (state, reason) = (IotState.NotAuthorised, patient.Refused ? "the ledger refused this doctor" : "revoked");
                    }
                    else if (Scalar(c, tx, "SELECT 1 FROM epoch_keys WHERE patient = $p AND epoch = $e", ("$p", item.Patient.ToString()), ("$e", (long)item.Epoch)) is null)
                    {
                        (state, reason) = (IotState.NotAuthorised, $"no key for epoch {item.Epoch}");
                    }
                    else
                    {
                        state = IotState.Pending;
                        schedule.Add(item.Patient);
                    }

                    NonQuery(c, tx, """
                        INSERT INTO iot (tx_id, ord, patient, epoch, batch, cid, window_start_ms, window_end_ms, state, reason, seen_ms, changed_ms)
                        VALUES ($t, $o, $p, $e, $b, $c, $ws, $we, $s, $r, $now, $now)
                        """,
                        ("$t", item.TxId), ("$o", item.Order), ("$p", item.Patient.ToString()), ("$e", (long)item.Epoch), ("$b", (long)item.Batch),
                        ("$c", item.Cid.ToString()), ("$ws", item.WindowStartMs), ("$we", item.WindowEndMs), ("$s", (long)state), ("$r", reason), ("$now", nowMs));
                    delta.Move(null, state);
                    break;
                case PaymentOp pay:
                    if (MoveWhere(c, tx, delta, "patient = $p AND state = 1", IotState.Pending, null, nowMs, ("$p", pay.Patient.ToString())) > 0)
                    {
                        schedule.Add(pay.Patient);
                    }

                    break;
            }
        }

        NonQuery(c, tx, "INSERT INTO counters (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = MAX(value, excluded.value)",
            ("$n", UserchainCursor), ("$v", (long)height + 1));
        tx.Commit();
        return new IngestResult(schedule, delta, withdrawn);
    });

    // ------------------------------------------------------------------ queries

    public PatientRow? GetPatient(IdentityId patient) => Run(c => ReadPatient(c, null, patient));

    /// <summary>The sealed keys of a patient's epoch, or null.</summary>
    public (byte[] SealedIotKey, byte[] SealedDiagnosisKey)? GetKeys(IdentityId patient, uint epoch) => Run(c =>
    {
        using var cmd = Command(c, null, "SELECT sealed_iot_key, sealed_diagnosis_key FROM epoch_keys WHERE patient = $p AND epoch = $e", ("$p", patient.ToString()), ("$e", (long)epoch));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ((byte[])r[0], (byte[])r[1]) : ((byte[], byte[])?)null;
    });

    /// <summary>The oldest pending IoT transactions of a patient, all of one epoch, at most <paramref name="max"/>.</summary>
    public List<IotItem> TakePending(IdentityId patient, int max) => Run(c =>
    {
        using var cmd = Command(c, null, "SELECT tx_id, ord, epoch, batch, cid, window_start_ms, window_end_ms FROM iot WHERE patient = $p AND state = 0 ORDER BY ord LIMIT $m",
            ("$p", patient.ToString()), ("$m", max));
        using var r = cmd.ExecuteReader();
        var list = new List<IotItem>();
        while (r.Read())
        {
            var epoch = (uint)r.GetInt64(2);
            if (list.Count > 0 && list[0].Epoch != epoch)
            {
                break;
            }

            list.Add(new IotItem(r.GetString(0), r.GetInt64(1), patient, epoch, (ulong)r.GetInt64(3), Cid.Parse(r.GetString(4)), r.GetInt64(5), r.GetInt64(6)));
        }

        return list;
    });

    /// <summary>Patients with IoT transactions in <paramref name="state"/>.</summary>
    public List<IdentityId> PatientsWith(IotState state) => Run(c =>
    {
        using var cmd = Command(c, null, "SELECT DISTINCT patient FROM iot WHERE state = $s", ("$s", (long)state));
        using var r = cmd.ExecuteReader();
        var list = new List<IdentityId>();
        while (r.Read())
        {
            list.Add(IdentityId.Parse(r.GetString(0)));
        }

        return list;
    });

    /// <summary>IoT transaction counts by state.</summary>
    public long[] CountIotStates() => Run(c =>
    {
        var counts = new long[6];
        using var cmd = Command(c, null, "SELECT state, COUNT(*) FROM iot GROUP BY state");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            counts[r.GetInt32(0)] = r.GetInt64(1);
        }

        return counts;
    });

    /// <summary>Diagnosis counts: committed automated ones, committed notes, and refusals by reason.</summary>
    public (long Screenings, long Notes, Dictionary<string, long> Refusals) CountDiagnoses() => Run(c =>
    {
        long screenings = 0, notes = 0;
        var refusals = new Dictionary<string, long>(StringComparer.Ordinal);
        using var cmd = Command(c, null, "SELECT kind, state, COALESCE(reason, ''), COUNT(*) FROM diagnoses WHERE state <> 0 GROUP BY kind, state, reason");
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var n = r.GetInt64(3);
            if ((DiagnosisState)r.GetInt32(1) == DiagnosisState.Committed)
            {
                if (r.GetString(0) == DiagnosisKinds.ClinicianNote)
                {
                    notes += n;
                }
                else
                {
                    screenings += n;
                }
            }
            else
            {
                refusals[r.GetString(2)] = refusals.GetValueOrDefault(r.GetString(2)) + n;
            }
        }

        return (screenings, notes, refusals);
    });

    /// <summary>Signed diagnoses not yet committed or refused, in nonce order.</summary>
    public List<DiagnosisRow> SignedDiagnoses() => Run(c => ReadDiagnoses(c, "state = 0 ORDER BY nonce"));

    public DiagnosisRow? FindDiagnosis(string txId) => Run(c => ReadDiagnoses(c, "tx_id = $t", ("$t", txId)).FirstOrDefault());

    public List<string> CoveredBy(long number) => Run(c =>
    {
        using var cmd = Command(c, null, "SELECT tx_id FROM iot WHERE diagnosis = $n ORDER BY tx_id", ("$n", number));
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }

        return list;
    });

    // ------------------------------------------------------------------ state changes

    /// <summary>Moves IoT transactions to <paramref name="to"/> (only those in one of <paramref name="from"/>).</summary>
    public StateDelta SetIotState(IEnumerable<string> txIds, IotState to, string? reason, long nowMs, params IotState[] from) => Run(c =>
    {
        var delta = new StateDelta();
        using var tx = c.BeginTransaction(deferred: false);
        var allowed = string.Join(",", from.Select(s => ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var id in txIds)
        {
            MoveWhere(c, tx, delta, $"tx_id = $t AND state IN ({allowed})", to, reason, nowMs, ("$t", id));
        }

        tx.Commit();
        return delta;
    });

    /// <summary>Moves a patient's IoT transactions awaiting payment back to pending; returns how many.</summary>
    public (int Moved, StateDelta Delta) ReleaseAwaiting(IdentityId patient, long nowMs) => Run(c =>
    {
        var delta = new StateDelta();
        using var tx = c.BeginTransaction(deferred: false);
        var moved = MoveWhere(c, tx, delta, "patient = $p AND state = 1", IotState.Pending, null, nowMs, ("$p", patient.ToString()));
        tx.Commit();
        return (moved, delta);
    });

    /// <summary>Records that the ledger refused this doctor for a patient: its waiting IoT transactions are not served.</summary>
    public StateDelta SetPatientRefused(IdentityId patient, long nowMs) => Run(c =>
    {
        var delta = new StateDelta();
        using var tx = c.BeginTransaction(deferred: false);
        NonQuery(c, tx, "UPDATE patients SET refused = 1, changed_ms = $now WHERE patient = $p", ("$p", patient.ToString()), ("$now", nowMs));
        MoveWhere(c, tx, delta, "patient = $p AND state IN (0, 1)", IotState.NotAuthorised, "the ledger refused this doctor", nowMs, ("$p", patient.ToString()));
        tx.Commit();
        return delta;
    });

    /// <summary>
    /// Persists a signed diagnosis before it is submitted and marks the IoT transactions it covers as in diagnosis;
    /// raises the nonce counter to its nonce.
    /// </summary>
    /// <returns>The state changes, or null (and nothing recorded) when one of them is no longer pending.</returns>
    public StateDelta? RecordSigned(DiagnosisRow row, IReadOnlyList<string> covers, long nowMs) => RunDurable(c =>
    {
        var delta = new StateDelta();
        using var tx = c.BeginTransaction(deferred: false);
        NonQuery(c, tx, """
            INSERT INTO diagnoses (number, patient, epoch, kind, tx, tx_id, nonce, cid, earliest_reading_ms, state, created_ms)
            VALUES ($n, $p, $e, $k, $x, $t, $o, $c, $r, 0, $now)
            """,
            ("$n", row.Number), ("$p", row.Patient.ToString()), ("$e", (long)row.Epoch), ("$k", row.Kind), ("$x", row.Transaction), ("$t", row.TxId),
            ("$o", (long)row.Nonce), ("$c", row.Cid), ("$r", row.EarliestReadingMs), ("$now", nowMs));
        foreach (var id in covers)
        {
            if (NonQuery(c, tx, "UPDATE iot SET state = 2, diagnosis = $n, changed_ms = $now WHERE tx_id = $t AND state = 0", ("$n", row.Number), ("$t", id), ("$now", nowMs)) != 1)
            {
                // Revoked or refused meanwhile: record nothing (the transaction rolls back on dispose).
                return null;
            }

            delta.Move(IotState.Pending, IotState.InDiagnosis);
        }

        RaiseCounter(c, tx, Nonce, row.Nonce);
        tx.Commit();
        return delta;
    });

    /// <summary>Replaces a signed diagnosis transaction (re-signed with a fresh nonce; same document).</summary>
    public void UpdateSigned(long number, byte[] transaction, string txId, ulong nonce) => RunDurable(c =>
    {
        using var tx = c.BeginTransaction(deferred: false);
        NonQuery(c, tx, "UPDATE diagnoses SET tx = $x, tx_id = $t, nonce = $o WHERE number = $n AND state = 0",
            ("$x", transaction), ("$t", txId), ("$o", (long)nonce), ("$n", number));
        RaiseCounter(c, tx, Nonce, nonce);
        tx.Commit();
    });

    /// <summary>Marks a diagnosis committed and the IoT transactions it covers diagnosed.</summary>
    public (bool Changed, StateDelta Delta) MarkCommitted(long number, string txId, string location, long nowMs) => Run(c =>
    {
        var delta = new StateDelta();
        using var tx = c.BeginTransaction(deferred: false);
        var changed = NonQuery(c, tx, "UPDATE diagnoses SET state = 1, tx_id = $t, location = $l, committed_ms = $now WHERE number = $n AND state <> 1",
            ("$t", txId), ("$l", location), ("$n", number), ("$now", nowMs)) == 1;
        if (changed)
        {
            NonQuery(c, tx, "INSERT OR IGNORE INTO covered (iot_tx_id, diagnosis_tx_id) SELECT tx_id, $t FROM iot WHERE diagnosis = $n", ("$t", txId), ("$n", number));
            MoveWhere(c, tx, delta, "diagnosis = $n AND state <> 3", IotState.Diagnosed, null, nowMs, ("$n", number));
        }

        tx.Commit();
        return (changed, delta);
    });

    /// <summary>Marks a diagnosis refused; the IoT transactions it covered move to <paramref name="covered"/>.</summary>
    public (bool Changed, StateDelta Delta) MarkRefused(long number, string reason, IotState covered, long nowMs) => Run(c =>
    {
        var delta = new StateDelta();
        using var tx = c.BeginTransaction(deferred: false);
        var changed = NonQuery(c, tx, "UPDATE diagnoses SET state = 2, reason = $r WHERE number = $n AND state = 0", ("$r", reason), ("$n", number)) == 1;
        if (changed)
        {
            MoveWhere(c, tx, delta, "diagnosis = $n AND state = 2", covered, reason, nowMs, ("$n", number));
            NonQuery(c, tx, "UPDATE iot SET diagnosis = NULL WHERE diagnosis = $n AND state <> 3", ("$n", number));
        }

        tx.Commit();
        return (changed, delta);
    });

    /// <summary>Records IoT transactions a committed diagnosis of this doctor covers (found on Docchain).</summary>
    public StateDelta RecordCovered(IEnumerable<(string IotTxId, string DiagnosisTxId)> covered, ulong reconciledHeight, long nowMs) => Run(c =>
    {
        var delta = new StateDelta();
        using var tx = c.BeginTransaction(deferred: false);
        foreach (var (iot, diagnosis) in covered)
        {
            NonQuery(c, tx, "INSERT OR IGNORE INTO covered (iot_tx_id, diagnosis_tx_id) VALUES ($i, $d)", ("$i", iot), ("$d", diagnosis));
            MoveWhere(c, tx, delta, "tx_id = $i AND state IN (0, 1, 4, 5)", IotState.Diagnosed, null, nowMs, ("$i", iot));
        }

        RaiseCounter(c, tx, DocchainReconciled, reconciledHeight);
        tx.Commit();
        return delta;
    });

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _connection.Dispose();
        }
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>
    /// Runs <paramref name="work"/> with <c>synchronous=FULL</c>: its commit is on disk before it returns. Used for
    /// what must survive a power cut (the cursor with a block's effects, reserved counters, signed transactions);
    /// other writes use <c>NORMAL</c> (durable across a process crash; a power cut may lose the last of them, which only
    /// repeats a check: the ledger is asked again).
    /// </summary>
    private T RunDurable<T>(Func<SqliteConnection, T> work)
    {
        lock (_lock)
        {
            Execute(_connection, "PRAGMA synchronous=FULL;");
            try
            {
                return work(_connection);
            }
            finally
            {
                Execute(_connection, "PRAGMA synchronous=NORMAL;");
            }
        }
    }

    private void RunDurable(Action<SqliteConnection> work) => RunDurable<bool>(c =>
    {
        work(c);
        return true;
    });

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

    private static List<DiagnosisRow> ReadDiagnoses(SqliteConnection c, string where, params (string, object?)[] parameters)
    {
        using var cmd = Command(c, null, "SELECT number, patient, epoch, kind, tx, tx_id, nonce, cid, earliest_reading_ms, state, reason FROM diagnoses WHERE " + where, parameters);
        using var r = cmd.ExecuteReader();
        var list = new List<DiagnosisRow>();
        while (r.Read())
        {
            list.Add(new DiagnosisRow(
                r.GetInt64(0), IdentityId.Parse(r.GetString(1)), (uint)r.GetInt64(2), r.GetString(3), (byte[])r[4], r.GetString(5),
                (ulong)r.GetInt64(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetInt64(8), (DiagnosisState)r.GetInt32(9), r.IsDBNull(10) ? null : r.GetString(10)));
        }

        return list;
    }

    private static PatientRow? ReadPatient(SqliteConnection c, SqliteTransaction? tx, IdentityId patient)
    {
        using var cmd = Command(c, tx, "SELECT authorised, epoch, refused FROM patients WHERE patient = $p", ("$p", patient.ToString()));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new PatientRow(patient, r.GetInt64(0) != 0, (uint)r.GetInt64(1), r.GetInt64(2) != 0) : null;
    }

    private static void UpsertPatient(SqliteConnection c, SqliteTransaction tx, IdentityId patient, bool authorised, uint epoch, long nowMs) =>
        NonQuery(c, tx, """
            INSERT INTO patients (patient, authorised, epoch, refused, changed_ms) VALUES ($p, $a, $e, 0, $now)
            ON CONFLICT(patient) DO UPDATE SET authorised = excluded.authorised, epoch = excluded.epoch,
                refused = CASE WHEN excluded.authorised = 1 THEN 0 ELSE refused END, changed_ms = excluded.changed_ms
            """,
            ("$p", patient.ToString()), ("$a", authorised ? 1 : 0), ("$e", (long)epoch), ("$now", nowMs));

    /// <summary>Moves the IoT rows matching <paramref name="where"/> to <paramref name="to"/>, counting the moves.</summary>
    private static int MoveWhere(SqliteConnection c, SqliteTransaction tx, StateDelta delta, string where, IotState to, string? reason, long nowMs, params (string, object?)[] parameters)
    {
        var moved = 0;
        using (var count = Command(c, tx, $"SELECT state, COUNT(*) FROM iot WHERE ({where}) GROUP BY state", parameters))
        using (var r = count.ExecuteReader())
        {
            while (r.Read())
            {
                var from = (IotState)r.GetInt32(0);
                if (from != to)
                {
                    delta.Move(from, to, r.GetInt64(1));
                    moved += (int)r.GetInt64(1);
                }
            }
        }

        if (moved > 0)
        {
            NonQuery(c, tx, $"UPDATE iot SET state = $to, reason = $reason, changed_ms = $now WHERE ({where}) AND state <> $to",
                [.. parameters, ("$to", (long)to), ("$reason", reason), ("$now", nowMs)]);
        }

        return moved;
    }

    private static ulong ReadCounter(SqliteConnection c, SqliteTransaction? tx, string name) =>
        Scalar(c, tx, "SELECT value FROM counters WHERE name = $n", ("$n", name)) is long v ? (ulong)v : 0;

    private static void RaiseCounter(SqliteConnection c, SqliteTransaction tx, string name, ulong value) =>
        NonQuery(c, tx, "INSERT INTO counters (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = MAX(value, excluded.value)", ("$n", name), ("$v", (long)value));

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    private static object? Scalar(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        using var cmd = Command(c, tx, sql, parameters);
        return cmd.ExecuteScalar();
    }

    private static int NonQuery(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        using var cmd = Command(c, tx, sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
