using HealthBlock.Data;
using Microsoft.Data.Sqlite;

namespace HealthBlock.Gateway.Store;

/// <summary>
/// The one owner of the gateway's SQLite database (<c>gateway.db</c> in the data folder, WAL, <c>synchronous=FULL</c>,
/// so a committed transaction is on disk before the call returns). Every table belongs to one of its table groups —
/// <see cref="Devices"/>, <see cref="Frames"/>, <see cref="Batches"/>, <see cref="Live"/>, <see cref="Keys"/>, <see cref="Meta"/>,
/// <see cref="Rejections"/> — and no other class writes SQL. Only one process works on a data folder at a time: the
/// running gateway (which holds the folder's lock, see <see cref="Admin.GatewayDataFolder"/>) or, while it is stopped, the
/// CLI; a CLI that finds the gateway running asks it through its admin endpoint instead.
/// </summary>
public sealed class GatewayStore : IDisposable
{
    private long _scrubHold = long.MaxValue;
    private Keys.SecretSealer? _sealer;
    private FrameSeal? _frameSeal;

    /// <summary>The database file name.</summary>
    public const string FileName = "gateway.db";

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private GatewayStore(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
        Devices = new DeviceTable(this);
        Frames = new FrameTable(this);
        Batches = new BatchTable(this);
        Live = new LiveTable(this);
        Keys = new KeyTable(this);
        Meta = new MetaTable(this);
        Rejections = new RejectionTable(this);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    internal DeviceTable Devices { get; }

    internal FrameTable Frames { get; }

    /// <summary>
    /// The last journal row every journal reader has read (a reader that needs the readings, such as the statistics
    /// contributor, holds it down); committed frames above it keep their readings until it moves. No reader: no hold.
    /// </summary>
    internal long ScrubHold
    {
        get => Interlocked.Read(ref _scrubHold);
        set => Interlocked.Exchange(ref _scrubHold, value);
    }

    internal BatchTable Batches { get; }

    /// <summary>How the journal's frames are sealed at rest; there once the local key is open (<see cref="UseSealer"/>).</summary>
    internal FrameSeal FrameSeal => Volatile.Read(ref _frameSeal)
        ?? throw new InvalidOperationException("The journal's frames are sealed under the local key: open it (SecretSealer.Open) before reading or writing frames.");

    internal LiveTable Live { get; }

    internal KeyTable Keys { get; }

    internal MetaTable Meta { get; }

    internal RejectionTable Rejections { get; }

    /// <summary>Opens (creating or upgrading if needed) the database in <paramref name="dataFolder"/>.</summary>
    public static GatewayStore Open(string dataFolder)
    {
        var connection = SqliteDatabase.Open(dataFolder, FileName, durable: true);
        try
        {
            // secure_delete: bytes a committed batch's frames give up (MarkCommitted) are overwritten with zeros on disk.
            SqliteStatements.Execute(connection, "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;");
            GatewaySchema.CreateOrUpgrade(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new GatewayStore(System.IO.Path.Combine(dataFolder, FileName), connection);
    }

    /// <summary>Frames journalled but not yet in a committed (or refused) batch.</summary>
    public long Backlog() => Frames.Backlog();

    /// <summary>
    /// Makes <paramref name="sealer"/> the store's one sealer (the first one opened wins, later ones give it back) and seals
    /// any frames an older schema left in clear (<see cref="GatewaySchema.SealClearFrames"/>).
    /// </summary>
    internal Keys.SecretSealer UseSealer(Keys.SecretSealer sealer) => Run(c =>
    {
        if (_sealer is { } first)
        {
            return first;
        }

        var seal = new FrameSeal(sealer);
        GatewaySchema.SealClearFrames(c, seal);
        _sealer = sealer;
        Volatile.Write(ref _frameSeal, seal);
        return sealer;
    });

    /// <summary>Runs <paramref name="work"/> on the shared connection, one caller at a time.</summary>
    internal T Run<T>(Func<SqliteConnection, T> work)
    {
        lock (_lock)
        {
            return work(_connection);
        }
    }

    /// <summary>Runs <paramref name="work"/> on the shared connection, one caller at a time.</summary>
    internal void Run(Action<SqliteConnection> work)
    {
        lock (_lock)
        {
            work(_connection);
        }
    }

    /// <summary>Opens a second connection to the same file, for the journal's writer.</summary>
    internal SqliteConnection OpenConnection() => SqliteDatabase.OpenAnother(_connection, durable: true);

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
