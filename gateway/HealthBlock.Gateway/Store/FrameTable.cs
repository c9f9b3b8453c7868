using HealthBlock.Data;
namespace HealthBlock.Gateway.Store;

/// <summary>A journalled frame as the batcher needs it: its bytes and what the journal recorded when it decoded it.</summary>
internal sealed record JournalFrame(byte[] Bytes, byte Kind, long TimestampMs, long DurationMs, long ReceivedMs);

/// <summary>The frames nobody has batched yet: when the oldest arrived and how many bytes they hold.</summary>
internal sealed record UnbatchedFrames(long OldestReceivedMs, long Bytes);

/// <summary>The <c>frames</c> and <c>gaps</c> tables: the journal (written by <see cref="FrameAppender"/>) and its reads.</summary>
internal sealed class FrameTable(GatewayStore store)
{
    // Journal rows up to here have had their scrub pass: committed ones were cut then, and any that commit later are at or
    // below the hold then set, so their own commit cuts them (BatchTable.MarkCommitted). Each pass reads only the new rows.
    private long _scrubPassedUpTo;

    /// <summary>Opens the journal's writer on a connection of its own.</summary>
    public FrameAppender OpenAppender() => new(store.OpenConnection(), store.FrameSeal);

    /// <summary>
    /// Frames not yet in a committed or refused batch: the unbatched ones plus those of open batches, both counted
    /// through indexes (<c>frames (batch, id)</c> and <c>batches_open</c>; the CROSS JOIN keeps SQLite from scanning every
    /// frame), so the cost follows the backlog, not the journal's length (the health loop and every metrics scrape ask).
    /// </summary>
    public long Backlog() => store.Run(c => (long)SqliteStatements.Scalar(c, null, """
        SELECT (SELECT COUNT(*) FROM frames WHERE batch IS NULL)
             + (SELECT COUNT(*) FROM batches b CROSS JOIN frames f ON f.batch = b.number WHERE b.state NOT IN ('committed', 'refused'))
        """)!);

    /// <summary>The frames of a batch, in journal order; an altered row fails with <see cref="TamperedFrameException"/>.</summary>
    public List<JournalFrame> ForBatch(ulong batch) => store.Run(c => SqliteStatements.Rows(c, null,
        $"SELECT kind, ts_ms, duration_ms, received_ms, {FrameSeal.Columns} FROM frames WHERE batch = $n ORDER BY id",
        r => new JournalFrame(store.FrameSeal.OpenRow(r, 4).Bytes, (byte)r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)),
        ("$n", (long)batch)));

    /// <summary>
    /// Up to <paramref name="limit"/> journalled frames after <paramref name="afterId"/>, in journal order (for readers that
    /// follow the journal); an altered row comes back empty (<see cref="FrameSeal.OpenRowOrEmpty"/>), so the reader passes it.
    /// </summary>
    public List<(long Id, byte[] Bytes)> After(long afterId, int limit) => store.Run(c => SqliteStatements.Rows(c, null,
        $"SELECT {FrameSeal.Columns} FROM frames WHERE id > $a ORDER BY id LIMIT $l", store.FrameSeal.OpenRowOrEmpty, ("$a", afterId), ("$l", limit)));

    /// <summary>
    /// Moves <see cref="GatewayStore.ScrubHold"/> up to <paramref name="readUpToId"/> and takes the readings off the frames
    /// of committed batches up to there that a commit left for the reader. Each pass reads only the rows after the last
    /// pass's <paramref name="readUpToId"/>, so the cost follows what the reader read, not the journal's length.
    /// </summary>
    public void ScrubCommitted(long readUpToId) => store.Run(c =>
    {
        store.ScrubHold = readUpToId;
        using var tx = c.BeginTransaction(deferred: false);
        var frames = SqliteStatements.Rows(
            c,
            tx,
            "SELECT f.id, f.device, f.pairing, f.seq, f.bytes FROM frames f JOIN batches b ON b.number = f.batch WHERE b.state = '" + BatchTable.Committed + "' AND f.id > $from AND f.id <= $h AND LENGTH(f.bytes) > $t",
            store.FrameSeal.TagToCut,
            ("$from", Math.Min(_scrubPassedUpTo, readUpToId)),
            ("$h", readUpToId),
            ("$t", (long)FrameTags.MaxLength));
        BatchTable.Scrub(c, tx, frames);
        tx.Commit();
        _scrubPassedUpTo = Math.Max(_scrubPassedUpTo, readUpToId);
    });

    /// <summary>The frames waiting for a batch, or null when none waits (their sizes are the frames', not the sealed rows').</summary>
    public UnbatchedFrames? Unbatched() => store.Run(c => SqliteStatements.Rows(c, null,
        "SELECT MIN(received_ms), SUM(LENGTH(bytes)), COUNT(*) FROM frames WHERE batch IS NULL",
        r => r.GetInt64(2) == 0 ? null : new UnbatchedFrames(r.GetInt64(0), r.GetInt64(1) + (r.GetInt64(2) * (Protocol.Content.IotBatch.PerFrameOverhead - FrameSeal.Overhead)))).Single());

    /// <summary>The newest <paramref name="spanMs"/> of one device's frames of one kind (by device time), batched or not, oldest first.</summary>
    public List<byte[]> Newest(ulong device, byte kind, long spanMs) => store.Run(c => SqliteStatements.Rows(c, null, """
        SELECT id, device, pairing, seq, bytes FROM frames WHERE device = $d AND kind = $k
        AND ts_ms + duration_ms > (SELECT MAX(ts_ms + duration_ms) FROM frames WHERE device = $d AND kind = $k) - $span
        ORDER BY ts_ms
        """,
        r => store.FrameSeal.OpenRow(r).Bytes,
        ("$d", Sql.Device(device)), ("$k", (long)kind), ("$span", spanMs)));
}
