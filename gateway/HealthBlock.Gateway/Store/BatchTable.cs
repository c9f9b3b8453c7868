using HealthBlock.Data;
namespace HealthBlock.Gateway.Store;

/// <summary>A batch as stored: its epoch, and its signed IoT transaction once there is one.</summary>
internal sealed record BatchRow(ulong Number, uint Epoch, byte[]? Transaction, string State, string? Reason);

/// <summary>
/// The <c>batches</c> table. A batch goes <c>assigned</c> (its frames chosen, for good) → <c>signed</c> (its IoT
/// transaction stored) → <c>committed</c>, or <c>refused</c> when the ledger refused it for good (parked with the reason),
/// or <c>superseded</c> when its live sub-batches were sealed under an epoch that ended before it was announced.
/// </summary>
internal sealed class BatchTable(GatewayStore store)
{
    public const string Committed = "committed";
    public const string Refused = "refused";
    public const string Superseded = "superseded";

    /// <summary>Batches neither committed nor refused, in order.</summary>
    public List<ulong> Unfinished() => store.Run(c => SqliteStatements.Rows(c, null,
        $"SELECT number FROM batches WHERE state NOT IN ('{Committed}', '{Refused}', '{Superseded}') ORDER BY number", r => (ulong)r.GetInt64(0)));

    public BatchRow Read(ulong number) => store.Run(c => SqliteStatements.Rows(c, null, "SELECT number, epoch, tx, state, reason FROM batches WHERE number = $n",
        r => new BatchRow((ulong)r.GetInt64(0), (uint)r.GetInt64(1), r.IsDBNull(2) ? null : (byte[])r[2], r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)),
        ("$n", (long)number)).Single());

    /// <summary>
    /// Assigns the next batch number to the oldest run of unbatched frames when the oldest has waited
    /// <paramref name="window"/> or the run reaches <paramref name="maxBytes"/>; null when nothing is due.
    /// </summary>
    public ulong? AssignDue(uint epoch, long nowMs, TimeSpan window, int maxBytes) => store.Run(c =>
    {
        using var tx = c.BeginTransaction(deferred: false);
        long first = 0, last = 0, bytes = 0, oldest = 0;
        var count = 0;
        var full = false;
        using (var scan = SqliteStatements.Command(c, tx, "SELECT id, LENGTH(bytes) - $o, received_ms FROM frames WHERE batch IS NULL ORDER BY id", ("$o", FrameSeal.Overhead)))
        using (var reader = scan.ExecuteReader())
        {
            while (reader.Read())
            {
                var size = reader.GetInt64(1) + Protocol.Content.IotBatch.PerFrameOverhead;
                if (count > 0 && bytes + size > maxBytes)
                {
                    full = true;
                    break;
                }

                if (count == 0)
                {
                    first = reader.GetInt64(0);
                    oldest = reader.GetInt64(2);
                }

                last = reader.GetInt64(0);
                bytes += size;
                count++;
            }
        }

        if (count == 0 || (!full && nowMs - oldest < window.TotalMilliseconds))
        {
            return (ulong?)null;
        }

        var number = (long)SqliteStatements.Scalar(c, tx, "SELECT COALESCE(MAX(number), 0) + 1 FROM batches")!;
        SqliteStatements.NonQuery(c, tx, """
            INSERT INTO batches (number, epoch, first_frame, last_frame, frame_count, state, created_ms)
            VALUES ($n, $e, $f, $l, $c, 'assigned', $t);
            UPDATE frames SET batch = $n WHERE batch IS NULL AND id BETWEEN $f AND $l;
            """,
            ("$n", number), ("$e", (long)epoch), ("$f", first), ("$l", last), ("$c", count), ("$t", nowMs));
        tx.Commit();
        return (ulong)number;
    });

    /// <summary>Moves an unsigned batch to another epoch (the key rotated before it was announced).</summary>
    public void SetEpoch(ulong number, uint epoch) => store.Run(c =>
        SqliteStatements.NonQuery(c, null, "UPDATE batches SET epoch = $e WHERE number = $n AND tx IS NULL", ("$e", (long)epoch), ("$n", (long)number)));

    public void SaveTransaction(ulong number, byte[] transaction, string transactionId, string cid) => store.Run(c =>
        SqliteStatements.NonQuery(c, null, "UPDATE batches SET tx = $x, tx_id = $i, cid = $c, state = 'signed' WHERE number = $n",
            ("$x", transaction), ("$i", transactionId), ("$c", cid), ("$n", (long)number)));

    /// <summary>Forgets a transaction the ledger refused as stale: the batch is sealed again under the current epoch.</summary>
    public void ForgetTransaction(ulong number) => store.Run(c =>
        SqliteStatements.NonQuery(c, null, "UPDATE batches SET tx = NULL, tx_id = NULL, cid = NULL, state = 'assigned' WHERE number = $n", ("$n", (long)number)));

    /// <summary>
    /// Marks a batch committed and, in the same transaction, takes its frames' readings off the disk: each frame row keeps
    /// its sequence number and its MAC tag only (what tells a retransmission from a replay, see FrameAppender), since the
    /// ledger and the content store now hold the batch sealed. With <c>secure_delete</c> the freed bytes are zeroed. Frames
    /// above <see cref="GatewayStore.ScrubHold"/> (a journal reader, the statistics contributor, has not read them yet)
    /// keep their readings until that reader passes them (<see cref="FrameTable.ScrubCommitted"/>).
    /// </summary>
    public void MarkCommitted(ulong number, ulong height, long nowMs) => store.Run(c =>
    {
        using var tx = c.BeginTransaction(deferred: false);
        SqliteStatements.NonQuery(c, tx, $"UPDATE batches SET state = '{Committed}', height = $h, committed_ms = $t WHERE number = $n",
            ("$h", (long)height), ("$t", nowMs), ("$n", (long)number));
        var frames = SqliteStatements.Rows(c, tx, $"SELECT {FrameSeal.Columns} FROM frames WHERE batch = $n AND id <= $h", store.FrameSeal.TagToCut, ("$n", (long)number), ("$h", store.ScrubHold));
        Scrub(c, tx, frames);
        tx.Commit();
    });

    /// <summary>Cuts each frame row to its tag (see <see cref="MarkCommitted"/>); rows without one (<see cref="FrameSeal.TagToCut"/>) stay.</summary>
    internal static void Scrub(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction tx, IEnumerable<(long Id, byte[]? Tag)> frames)
    {
        using var scrub = SqliteStatements.Command(c, tx, "UPDATE frames SET bytes = $b WHERE id = $i");
        var id = scrub.Parameters.Add("$i", Microsoft.Data.Sqlite.SqliteType.Integer);
        var tag = scrub.Parameters.Add("$b", Microsoft.Data.Sqlite.SqliteType.Blob);
        foreach (var frame in frames.Where(f => f.Tag is not null))
        {
            id.Value = frame.Id;
            tag.Value = frame.Tag;
            scrub.ExecuteNonQuery();
        }
    }

    /// <summary>Parks a batch the ledger refused for good, with the reason; it is not retried.</summary>
    public void MarkRefused(ulong number, string reason, long nowMs) => store.Run(c =>
        SqliteStatements.NonQuery(c, null, $"UPDATE batches SET state = '{Refused}', reason = $r, committed_ms = $t WHERE number = $n",
            ("$r", reason), ("$t", nowMs), ("$n", (long)number)));

    /// <summary>
    /// Every parked batch, oldest first: number, epoch, frames, reason, when it was parked, and how many of its frames
    /// still hold their (sealed) readings — none once it was dropped.
    /// </summary>
    public List<(ulong Number, uint Epoch, long Frames, string Reason, long ParkedMs, long Held)> Parked() => store.Run(c => SqliteStatements.Rows(c, null, $"""
        SELECT b.number, b.epoch, b.frame_count, COALESCE(b.reason, ''), COALESCE(b.committed_ms, 0),
               (SELECT COUNT(*) FROM frames f WHERE f.batch = b.number AND LENGTH(f.bytes) > $t)
        FROM batches b WHERE b.state = '{Refused}' ORDER BY b.number
        """,
        r => ((ulong)r.GetInt64(0), (uint)r.GetInt64(1), r.GetInt64(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5)),
        ("$t", (long)FrameTags.MaxLength)));

    /// <summary>
    /// Drops the readings of parked batch <paramref name="number"/>: each of its frames is cut to its MAC tag, as a
    /// committed one is (a retransmission is then still told from a replay); a row that no longer opens (altered on disk)
    /// is cut to nothing. The batch stays parked, with its reason. Returns the frames cut.
    /// </summary>
    public int DropParked(ulong number) => store.Run(c =>
    {
        using var tx = c.BeginTransaction(deferred: false);
        var frames = SqliteStatements.Rows(c, tx, $"SELECT {FrameSeal.Columns} FROM frames WHERE batch = $n AND LENGTH(bytes) > $t", store.FrameSeal.TagToCut, ("$n", (long)number), ("$t", (long)FrameTags.MaxLength));
        Scrub(c, tx, frames.Select(f => (f.Id, (byte[]?)(f.Tag ?? []))));
        tx.Commit();
        return frames.Count;
    });

    /// <summary>Parked (refused) batches and the frames in them.</summary>
    public (long Batches, long Frames) RefusedTotals() => store.Run(c => SqliteStatements.Rows(c, null,
        $"SELECT COUNT(*), COALESCE(SUM(frame_count), 0) FROM batches WHERE state = '{Refused}'", r => (r.GetInt64(0), r.GetInt64(1))).Single());
}
