using System.Threading.Channels;
using HealthBlock.Protocol.Frames;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Journal;

/// <summary>What the journal did with a frame.</summary>
public enum AppendOutcome
{
    /// <summary>Durable in the journal (fsynced) — the frame may be acknowledged.</summary>
    Appended,

    /// <summary>The same frame (device, sequence and bytes) is already journalled; nothing was written.</summary>
    Duplicate,

    /// <summary>The sequence number is not above the device's last one and the bytes differ: a replay.</summary>
    Replay,
}

/// <summary>The journal's answer for one frame.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="FrameId">The journal id of the frame (0 unless appended or duplicate).</param>
/// <param name="LastSequence">The device's last accepted sequence number before this frame, if any.</param>
/// <param name="Gap">Sequence numbers missing before this frame (0 when none).</param>
public readonly record struct AppendResult(AppendOutcome Outcome, long FrameId, long? LastSequence, long Gap);

/// <summary>
/// The durable frame journal: an append-only SQLite table in WAL mode with <c>synchronous=FULL</c>. Appends from
/// all connections are grouped: one writer takes every pending frame (up to a limit), checks each sequence number
/// against the device's last one, inserts them in one transaction and commits with one fsync; only then do the
/// callers' tasks complete, so a frame is acknowledged only once it survives a crash or power cut.
/// <see cref="AppendAsync"/> is safe for concurrent use.
/// </summary>
public sealed class FrameJournal : IAsyncDisposable
{
    private readonly GatewayDatabase _database;
    private readonly ILogger _logger;
    private readonly int _maxGroup;
    private readonly Channel<Pending> _pending;
    private readonly Dictionary<ulong, long> _lastSequence = [];
    private readonly Task _writer;
    private long _appended;
    private long _groups;

    /// <summary>Starts the journal's writer.</summary>
    public FrameJournal(GatewayDatabase database, ILogger logger, int maxGroup = 1024, int capacity = 20_000)
    {
        _database = database;
        _logger = logger;
        _maxGroup = maxGroup;
        _pending = Channel.CreateBounded<Pending>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _database.Run(ReloadSequences);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Frames appended since start.</summary>
    public long Appended => Interlocked.Read(ref _appended);

    /// <summary>Commit groups (fsyncs) since start.</summary>
    public long Groups => Interlocked.Read(ref _groups);

    /// <summary>Appends a verified frame; completes once it is durable (or is a duplicate or replay).</summary>
    public async Task<AppendResult> AppendAsync(DeviceFrame frame, long receivedMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var pending = new Pending(frame, receivedMs);
        await _pending.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Frames journalled but not yet in a committed batch.</summary>
    public long Backlog() => _database.Backlog();

    private async Task WriteLoopAsync()
    {
        using var connection = _database.OpenConnection();
        var group = new List<Pending>(_maxGroup);
        while (await _pending.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < _maxGroup && _pending.Reader.TryRead(out var p))
            {
                group.Add(p);
            }

            try
            {
                var results = WriteGroup(connection, group);
                Interlocked.Increment(ref _groups);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (Exception e) when (e is SqliteException or IOException)
            {
                _logger.LogError(e, "Journal write of {Count} frames failed; none of them is acknowledged", group.Count);
                ReloadSequences(connection);
                foreach (var p in group)
                {
                    p.Completion.TrySetException(new JournalException("The journal could not write the frame.", e));
                }
            }
        }
    }

    private AppendResult[] WriteGroup(SqliteConnection connection, List<Pending> group)
    {
        var results = new AppendResult[group.Count];
        var updates = new Dictionary<ulong, long>();
        using var tx = connection.BeginTransaction(deferred: false);
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO frames (device, seq, kind, ts_ms, received_ms, bytes) VALUES ($d, $s, $k, $t, $r, $b) RETURNING id";
        var pd = insert.Parameters.Add("$d", SqliteType.Integer);
        var ps = insert.Parameters.Add("$s", SqliteType.Integer);
        var pk = insert.Parameters.Add("$k", SqliteType.Integer);
        var pt = insert.Parameters.Add("$t", SqliteType.Integer);
        var pr = insert.Parameters.Add("$r", SqliteType.Integer);
        var pb = insert.Parameters.Add("$b", SqliteType.Blob);
        using var gap = connection.CreateCommand();
        gap.Transaction = tx;
        gap.CommandText = "INSERT INTO gaps (device, first_missing, last_missing, at_ms) VALUES ($d, $f, $l, $t)";
        using var existing = connection.CreateCommand();
        existing.Transaction = tx;
        existing.CommandText = "SELECT id, bytes FROM frames WHERE device = $d AND seq = $s";

        for (var i = 0; i < group.Count; i++)
        {
            var frame = group[i].Frame;
            var device = frame.DeviceId;
            long? last = updates.TryGetValue(device, out var u) ? u : _lastSequence.TryGetValue(device, out var l) ? l : null;
            if (last is { } lastSeq && frame.Sequence <= lastSeq)
            {
                existing.Parameters.Clear();
                existing.Parameters.AddWithValue("$d", unchecked((long)device));
                existing.Parameters.AddWithValue("$s", (long)frame.Sequence);
                using var reader = existing.ExecuteReader();
                results[i] = reader.Read() && ((byte[])reader[1]).AsSpan().SequenceEqual(frame.Encoded)
                    ? new AppendResult(AppendOutcome.Duplicate, reader.GetInt64(0), lastSeq, 0)
                    : new AppendResult(AppendOutcome.Replay, 0, lastSeq, 0);
                continue;
            }

            var missing = last is { } previous ? frame.Sequence - previous - 1 : 0;
            if (missing > 0)
            {
                gap.Parameters.Clear();
                gap.Parameters.AddWithValue("$d", unchecked((long)device));
                gap.Parameters.AddWithValue("$f", last!.Value + 1);
                gap.Parameters.AddWithValue("$l", (long)frame.Sequence - 1);
                gap.Parameters.AddWithValue("$t", group[i].ReceivedMs);
                gap.ExecuteNonQuery();
            }

            pd.Value = unchecked((long)device);
            ps.Value = (long)frame.Sequence;
            pk.Value = (int)frame.Kind;
            pt.Value = frame.TimestampMs;
            pr.Value = group[i].ReceivedMs;
            pb.Value = frame.Encoded.ToArray();
            var id = (long)insert.ExecuteScalar()!;
            updates[device] = frame.Sequence;
            results[i] = new AppendResult(AppendOutcome.Appended, id, last, missing);
        }

        tx.Commit();
        foreach (var (device, seq) in updates)
        {
            _lastSequence[device] = seq;
        }

        Interlocked.Add(ref _appended, results.Count(r => r.Outcome == AppendOutcome.Appended));
        return results;
    }

    private void ReloadSequences(SqliteConnection connection)
    {
        _lastSequence.Clear();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT device, MAX(seq) FROM frames GROUP BY device";
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            _lastSequence[unchecked((ulong)reader.GetInt64(0))] = reader.GetInt64(1);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
    }

    private sealed class Pending(DeviceFrame frame, long receivedMs)
    {
        public DeviceFrame Frame { get; } = frame;

        public long ReceivedMs { get; } = receivedMs;

        public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The journal could not make a frame durable; the frame must not be acknowledged.</summary>
public sealed class JournalException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JournalException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public JournalException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public JournalException(string message)
        : base(message)
    {
    }
}
