using HealthBlock.Data;
using Microsoft.Data.Sqlite;

namespace HealthBlock.Doctor.Storage;

/// <summary>
/// The doctor's SQLite database (<c>doctor.db</c> in the data folder), WAL; <c>synchronous=FULL</c> for what must
/// survive a power cut (<see cref="WriteDurable{T}"/>). Its tables come in groups, each with its own class:
/// <see cref="Counters"/> (meta values and counters: cursors, diagnosis number, nonce), <see cref="Patients"/> (patients
/// and their sealed keys by epoch), <see cref="Iot"/> (the IoT transactions of served patients and their
/// <see cref="IotState"/>), <see cref="Diagnoses"/> (signed diagnosis transactions and the IoT transactions committed
/// diagnoses cover), <see cref="Credit"/> (payments to this doctor and its fees), and <see cref="Userchain"/>, which
/// applies a Userchain block's effects to all of them with the cursor in one SQLite transaction, so a restart resumes
/// exactly after the last block handled. The node and the CLI may open it at the same time.
/// </summary>
internal sealed class DoctorDatabase : IDisposable
{
    /// <summary>The database file name.</summary>
    public const string FileName = "doctor.db";

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private DoctorDatabase(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
        Counters = new CounterTable(this);
        Patients = new PatientTable(this);
        Iot = new IotTable(this);
        Diagnoses = new DiagnosisTable(this);
        Credit = new CreditTable(this);
        Userchain = new UserchainIngest(this);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Meta values and counters.</summary>
    public CounterTable Counters { get; }

    /// <summary>Patients and their sealed epoch keys.</summary>
    public PatientTable Patients { get; }

    /// <summary>IoT transactions and their states.</summary>
    public IotTable Iot { get; }

    /// <summary>Signed diagnosis transactions and covered IoT transactions.</summary>
    public DiagnosisTable Diagnoses { get; }

    /// <summary>Payments to this doctor and its diagnosis fees: the patients' credit.</summary>
    public CreditTable Credit { get; }

    /// <summary>Applies Userchain blocks.</summary>
    public UserchainIngest Userchain { get; }

    /// <summary>Opens (creating if needed) the database in <paramref name="dataFolder"/>.</summary>
    public static DoctorDatabase Open(string dataFolder)
    {
        var connection = SqliteDatabase.Open(dataFolder, FileName, durable: false);
        try
        {
            Pragma(connection, CounterTable.Schema + PatientTable.Schema + IotTable.Schema + DiagnosisTable.Schema + CreditTable.Schema);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new DoctorDatabase(System.IO.Path.Combine(dataFolder, FileName), connection);
    }

    /// <summary>Reads (no transaction).</summary>
    public T Read<T>(Func<SqlScope, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_lock)
        {
            return work(new SqlScope(_connection, null));
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one immediate SQLite transaction, committed when it returns (rolled back when it
    /// throws). Durable across a process crash; a power cut may lose the last of these writes, which only repeats a
    /// check (the ledger is asked again).
    /// </summary>
    public T Write<T>(Func<SqlScope, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_lock)
        {
            return InTransaction(work);
        }
    }

    /// <summary>
    /// As <see cref="Write{T}"/> with <c>synchronous=FULL</c>: the commit is on disk before it returns. For what must
    /// survive a power cut: the cursor with a block's effects, reserved counters, signed transactions.
    /// </summary>
    public T WriteDurable<T>(Func<SqlScope, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_lock)
        {
            Pragma(_connection, "PRAGMA synchronous=FULL;");
            try
            {
                return InTransaction(work);
            }
            finally
            {
                Pragma(_connection, "PRAGMA synchronous=NORMAL;");
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _connection.Dispose();
        }
    }

    private T InTransaction<T>(Func<SqlScope, T> work)
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        var result = work(new SqlScope(_connection, transaction));
        transaction.Commit();
        return result;
    }

    private static void Pragma(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
