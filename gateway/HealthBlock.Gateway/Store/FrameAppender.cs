using HealthBlock.Data;
using HealthBlock.Gateway.Journal;
using HealthBlock.Protocol.Frames;
using Microsoft.Data.Sqlite;

namespace HealthBlock.Gateway.Store;

/// <summary>A verified frame on its way into the journal.</summary>
/// <param name="Frame">The frame.</param>
/// <param name="Pairing">The pairing of the device key that verified it.</param>
/// <param name="ReceivedMs">When the gateway received it.</param>
internal readonly record struct FrameToAppend(DeviceFrame Frame, long Pairing, long ReceivedMs);

/// <summary>
/// The journal's writer, on a connection of its own: appends a group of frames in one SQLite transaction (one fsync),
/// checking each sequence number against the last one of the device's current pairing (kept in memory, reloaded after
/// a failed write). Used by one thread at a time (the journal's writer loop).
/// </summary>
internal sealed class FrameAppender : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly FrameSeal _seal;
    private readonly Dictionary<(ulong Device, long Pairing), long> _lastSequence = [];

    public FrameAppender(SqliteConnection connection, FrameSeal seal)
    {
        _connection = connection;
        _seal = seal;
        ReloadSequences();
    }

    /// <summary>Appends <paramref name="group"/>; the results are in its order.</summary>
    public AppendResult[] Append(IReadOnlyList<FrameToAppend> group)
    {
        try
        {
            return Write(group);
        }
        catch (Exception e) when (e is SqliteException or IOException)
        {
            ReloadSequences();
            throw;
        }
    }

    private AppendResult[] Write(IReadOnlyList<FrameToAppend> group)
    {
        var c = _connection;
        var results = new AppendResult[group.Count];
        var updates = new Dictionary<(ulong, long), long>();
        using var tx = c.BeginTransaction(deferred: false);
        using var insert = SqliteStatements.Command(c, tx, """
            INSERT INTO frames (device, pairing, seq, kind, ts_ms, duration_ms, received_ms, bytes)
            VALUES ($d, $p, $s, $k, $t, $u, $r, $b) RETURNING id
            """);
        var pd = insert.Parameters.Add("$d", SqliteType.Integer);
        var pp = insert.Parameters.Add("$p", SqliteType.Integer);
        var ps = insert.Parameters.Add("$s", SqliteType.Integer);
        var pk = insert.Parameters.Add("$k", SqliteType.Integer);
        var pt = insert.Parameters.Add("$t", SqliteType.Integer);
        var pu = insert.Parameters.Add("$u", SqliteType.Integer);
        var pr = insert.Parameters.Add("$r", SqliteType.Integer);
        var pb = insert.Parameters.Add("$b", SqliteType.Blob);
        for (var i = 0; i < group.Count; i++)
        {
            var (frame, pairing, receivedMs) = group[i];
            var key = (frame.DeviceId, pairing);
            long? last = updates.TryGetValue(key, out var u) ? u : _lastSequence.TryGetValue(key, out var l) ? l : null;
            if (last is { } lastSeq && frame.Sequence <= lastSeq)
            {
                results[i] = Existing(tx, frame, pairing, lastSeq);
                continue;
            }

            var missing = last is { } previous ? frame.Sequence - previous - 1 : 0;
            if (missing > 0)
            {
                SqliteStatements.NonQuery(c, tx, "INSERT INTO gaps (device, first_missing, last_missing, at_ms) VALUES ($d, $f, $l, $t)",
                    ("$d", Sql.Device(frame.DeviceId)), ("$f", last!.Value + 1), ("$l", (long)frame.Sequence - 1), ("$t", receivedMs));
            }

            pd.Value = Sql.Device(frame.DeviceId);
            pp.Value = pairing;
            ps.Value = (long)frame.Sequence;
            pk.Value = (int)frame.Kind;
            pt.Value = frame.TimestampMs;
            pu.Value = frame.DurationMs;
            pr.Value = receivedMs;
            pb.Value = _seal.Seal(frame.DeviceId, pairing, frame.Sequence, frame.Encoded);
            var id = (long)insert.ExecuteScalar()!;
            updates[key] = frame.Sequence;
            results[i] = new AppendResult(AppendOutcome.Appended, id, last, missing);
        }

        tx.Commit();
        foreach (var (key, seq) in updates)
        {
            _lastSequence[key] = seq;
        }

        return results;
    }

    /// <summary>
    /// A sequence at or below the last: the same bytes again are a duplicate, other bytes a replay. The stored row is
    /// opened (<see cref="FrameSeal"/>); one that fails to open cannot vouch for the frame, which is then a replay.
    /// </summary>
    private AppendResult Existing(SqliteTransaction tx, DeviceFrame frame, long pairing, long lastSeq)
    {
        using var cmd = SqliteStatements.Command(_connection, tx, $"SELECT {FrameSeal.Columns} FROM frames WHERE device = $d AND pairing = $p AND seq = $s",
            ("$d", Sql.Device(frame.DeviceId)), ("$p", pairing), ("$s", (long)frame.Sequence));
        using var reader = cmd.ExecuteReader();
        if (!reader.Read())
        {
            return new AppendResult(AppendOutcome.Replay, 0, lastSeq, 0);
        }

        try
        {
            var (id, stored) = _seal.OpenRow(reader);
            return FrameTags.SameFrame(stored, frame.Encoded)
                ? new AppendResult(AppendOutcome.Duplicate, id, lastSeq, 0)
                : new AppendResult(AppendOutcome.Replay, 0, lastSeq, 0);
        }
        catch (TamperedFrameException)
        {
            return new AppendResult(AppendOutcome.Replay, 0, lastSeq, 0);
        }
    }

    private void ReloadSequences()
    {
        _lastSequence.Clear();
        foreach (var (device, pairing, seq) in SqliteStatements.Rows(_connection, null, "SELECT device, pairing, MAX(seq) FROM frames GROUP BY device, pairing", r => (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2))))
        {
            _lastSequence[(Sql.Device(device), pairing)] = seq;
        }
    }

    public void Dispose() => _connection.Dispose();
}
