using HealthBlock.Crypto;
using HealthBlock.Data;
using HealthBlock.Protocol.Content;

namespace HealthBlock.Gateway.Store;

/// <summary>A live sub-batch as sealed: its epoch, live sequence number, sealed bytes and when it was sealed.</summary>
internal sealed record SealedLive(uint Epoch, ulong Sequence, byte[] Sealed, long CreatedMs);

/// <summary>
/// The <c>live</c> table: the sealed live sub-batches. A sub-batch takes the frames no sub-batch or batch holds yet, in
/// journal order; its sequence number (the next of its epoch) is taken and its sealed bytes stored in one SQLite
/// transaction, so a (key, nonce) pair is never used for two plaintexts, even across a crash. A period's batch then takes
/// the oldest unassigned sub-batches of one epoch. A sub-batch whose epoch was superseded before its period was announced
/// is marked superseded and its frames sealed again under the new epoch (new key, sequence from 1).
/// </summary>
internal sealed class LiveTable(GatewayStore store)
{
    /// <summary>Seals the frames waiting for a live sub-batch (up to <paramref name="maxPlaintext"/> each); empty when none waits.</summary>
    public List<SealedLive> SealWaiting(IdentityId patient, uint epoch, byte[] iotKey, long nowMs, int maxPlaintext) => store.Run(c =>
    {
        var sealedBatches = new List<SealedLive>();
        while (true)
        {
            using var tx = c.BeginTransaction(deferred: false);
            var frames = SqliteStatements.Rows(c, tx, $"SELECT {FrameSeal.Columns} FROM frames WHERE live IS NULL AND batch IS NULL ORDER BY id LIMIT 4096", r => store.FrameSeal.OpenRow(r));
            var take = new List<(long Id, byte[] Bytes)>();
            var size = LiveBatch.Overhead;
            foreach (var f in frames)
            {
                if (take.Count > 0 && size + f.Bytes.Length + IotBatch.PerFrameOverhead > maxPlaintext)
                {
                    break;
                }

                size += f.Bytes.Length + IotBatch.PerFrameOverhead;
                take.Add(f);
            }

            if (take.Count == 0)
            {
                return sealedBatches;
            }

            var sequence = (ulong)(long)SqliteStatements.Scalar(c, tx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM live WHERE epoch = $e", ("$e", (long)epoch))!;
            var sealedBytes = new LiveBatch(patient, epoch, sequence, [.. take.Select(f => f.Bytes)]).Seal(iotKey);
            var id = (long)SqliteStatements.Scalar(c, tx, """
                INSERT INTO live (epoch, seq, first_frame, last_frame, frame_count, sealed, created_ms)
                VALUES ($e, $s, $f, $l, $n, $b, $t) RETURNING id
                """, ("$e", (long)epoch), ("$s", (long)sequence), ("$f", take[0].Id), ("$l", take[^1].Id), ("$n", take.Count), ("$b", sealedBytes), ("$t", nowMs))!;
            SqliteStatements.NonQuery(c, tx, "UPDATE frames SET live = $i WHERE live IS NULL AND batch IS NULL AND id BETWEEN $f AND $l",
                ("$i", id), ("$f", take[0].Id), ("$l", take[^1].Id));
            tx.Commit();
            sealedBatches.Add(new SealedLive(epoch, sequence, sealedBytes, nowMs));
        }
    });

    /// <summary>
    /// Assigns the next batch number to the oldest unassigned sub-batches of one epoch once the oldest has waited
    /// <paramref name="period"/> or they reach <paramref name="maxBytes"/>; null when nothing is due.
    /// </summary>
    public ulong? AssignDuePeriod(long nowMs, TimeSpan period, int maxBytes) => store.Run(c =>
    {
        using var tx = c.BeginTransaction(deferred: false);
        var rows = SqliteStatements.Rows(c, tx, "SELECT id, epoch, LENGTH(sealed), created_ms, first_frame, last_frame, frame_count FROM live WHERE batch IS NULL AND superseded = 0 ORDER BY epoch, seq LIMIT 65536",
            r => (Id: r.GetInt64(0), Epoch: r.GetInt64(1), Bytes: r.GetInt64(2), Created: r.GetInt64(3), First: r.GetInt64(4), Last: r.GetInt64(5), Frames: r.GetInt64(6)));
        if (rows.Count == 0)
        {
            return (ulong?)null;
        }

        var take = new List<(long Id, long Epoch, long Bytes, long Created, long First, long Last, long Frames)>();
        long bytes = LiveBundle.BundleOverhead;
        var full = false;
        foreach (var r in rows)
        {
            if (r.Epoch != rows[0].Epoch || (take.Count > 0 && bytes + r.Bytes + LiveBundle.PerBatchOverhead > maxBytes))
            {
                full = true;
                break;
            }

            bytes += r.Bytes + LiveBundle.PerBatchOverhead;
            take.Add(r);
        }

        if (!full && nowMs - take[0].Created < period.TotalMilliseconds)
        {
            return null;
        }

        var number = (long)SqliteStatements.Scalar(c, tx, "SELECT COALESCE(MAX(number), 0) + 1 FROM batches")!;
        SqliteStatements.NonQuery(c, tx, """
            INSERT INTO batches (number, epoch, first_frame, last_frame, frame_count, state, created_ms)
            VALUES ($n, $e, $f, $l, $c, 'assigned', $t);
            UPDATE live SET batch = $n WHERE batch IS NULL AND superseded = 0 AND epoch = $e AND id BETWEEN $a AND $z;
            UPDATE frames SET batch = $n WHERE live IN (SELECT id FROM live WHERE batch = $n);
            """,
            ("$n", number), ("$e", take[0].Epoch), ("$f", take.Min(t => t.First)), ("$l", take.Max(t => t.Last)), ("$c", take.Sum(t => t.Frames)), ("$t", nowMs),
            ("$a", take.Min(t => t.Id)), ("$z", take.Max(t => t.Id)));
        tx.Commit();
        return (ulong)number;
    });

    /// <summary>When the oldest sub-batch no period holds yet was sealed, or null when none waits.</summary>
    public long? OldestWaitingMs() => store.Run(c =>
        SqliteStatements.Scalar(c, null, "SELECT MIN(created_ms) FROM live WHERE batch IS NULL AND superseded = 0") is long ms ? ms : (long?)null);

    /// <summary>The sealed sub-batches of a period's batch, in sequence order.</summary>
    public List<byte[]> ForBatch(ulong batch) => store.Run(c => SqliteStatements.Rows(c, null,
        "SELECT sealed FROM live WHERE batch = $n ORDER BY seq", r => (byte[])r[0], ("$n", (long)batch)));

    /// <summary>True when the batch holds live sub-batches (it was cut from the live table).</summary>
    public bool HoldsLive(ulong batch) => store.Run(c =>
        SqliteStatements.Scalar(c, null, "SELECT 1 FROM live WHERE batch = $n LIMIT 1", ("$n", (long)batch)) is not null);

    /// <summary>
    /// The key rotated before the batch was announced: its sub-batches are superseded (their sequence numbers stay
    /// taken), their frames wait to be sealed again under the new epoch, and the batch is dropped unannounced.
    /// </summary>
    public void Supersede(ulong batch) => store.Run(c =>
    {
        using var tx = c.BeginTransaction(deferred: false);
        SqliteStatements.NonQuery(c, tx, """
            UPDATE frames SET live = NULL, batch = NULL WHERE batch = $n;
            UPDATE live SET superseded = 1, batch = NULL WHERE batch = $n;
            UPDATE batches SET state = 'superseded', tx = NULL, tx_id = NULL, cid = NULL WHERE number = $n;
            """, ("$n", (long)batch));
        tx.Commit();
    });
}
