using HealthBlock.Gateway.Journal;
using HealthBlock.Gateway.Keys;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Batching;

/// <summary>How the gateway cuts the journal into batches.</summary>
public sealed record BatchOptions
{
    /// <summary>A batch is sealed once its oldest frame has waited this long.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>... or once its frames reach this many bytes (kept under the 1 MiB block limit).</summary>
    public int MaxBatchBytes { get; init; } = 768 * 1024;

    /// <summary>First retry delay after the store or ledger fails; doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest retry delay.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the journal is checked for a due batch.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(50);
}

/// <summary>A batch whose IoT transaction is committed.</summary>
/// <param name="Batch">Batch number.</param>
/// <param name="Epoch">Key epoch.</param>
/// <param name="FrameCount">Frames in it.</param>
/// <param name="Cid">Where the ciphertext is stored.</param>
/// <param name="TransactionId">The IoT transaction id (hex).</param>
/// <param name="Location">Where it committed.</param>
/// <param name="OldestReceivedMs">When the gateway received its oldest frame.</param>
public sealed record CommittedBatch(ulong Batch, uint Epoch, int FrameCount, Cid Cid, string TransactionId, TxLocation Location, long OldestReceivedMs);

/// <summary>
/// Seals journalled frames into batches and publishes them: assigns a batch number to a run of frames (persisted
/// before anything else, so the batch's plaintext never changes), encrypts it under the current epoch's IoT key,
/// puts it in the content store, signs the IoT transaction (persisted before submission), submits it and waits for
/// the commit; only then are its frames done. After a crash it resumes the unfinished batches in order: the same
/// frames, the same ciphertext and CID, the same transaction — nothing is published twice. When the store or the
/// ledger is down it retries with backoff; nothing is dropped.
/// </summary>
public sealed class Batcher : IAsyncDisposable
{
    private readonly GatewayDatabase _database;
    private readonly PatientKeyManager _keys;
    private readonly PatientSigner _signer;
    private readonly IContentStore _store;
    private readonly BatchOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _committedFrames;
    private long _committedBatches;
    private long _failures;

    /// <summary>Creates the batcher; call <see cref="Start"/>.</summary>
    public Batcher(GatewayDatabase database, PatientKeyManager keys, PatientSigner signer, IContentStore store, BatchOptions options, ILogger logger)
    {
        _database = database;
        _keys = keys;
        _signer = signer;
        _store = store;
        _options = options;
        _logger = logger;
    }

    /// <summary>Raised after each batch commits.</summary>
    public event Action<CommittedBatch>? Committed;

    /// <summary>Frames in committed batches since start.</summary>
    public long CommittedFrames => Interlocked.Read(ref _committedFrames);

    /// <summary>Batches committed since start.</summary>
    public long CommittedBatches => Interlocked.Read(ref _committedBatches);

    /// <summary>Store or ledger failures retried since start.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>True while the last attempt failed and the batcher is backing off.</summary>
    public bool Degraded { get; private set; }

    /// <summary>Starts the loop.</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Frames not yet in a committed batch.</summary>
    public long Backlog() => _database.Backlog();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = _options.MinBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var worked = false;
                foreach (var number in UnfinishedBatches())
                {
                    await PublishAsync(number, cancellationToken);
                    worked = true;
                }

                if (AssignDueBatch() is { } assigned)
                {
                    await PublishAsync(assigned, cancellationToken);
                    worked = true;
                }

                backoff = _options.MinBackoff;
                Degraded = false;
                if (!worked)
                {
                    await Task.Delay(_options.PollInterval, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StoreException or LedgerRejectedException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
            {
                Interlocked.Increment(ref _failures);
                Degraded = true;
                _logger.LogWarning("Publishing a batch failed ({Type}: {Message}); retrying in {Delay} ms", e.GetType().Name, e.Message, (int)backoff.TotalMilliseconds);
                try
                {
                    await Task.Delay(backoff, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, _options.MaxBackoff.TotalMilliseconds));
            }
        }
    }

    private List<ulong> UnfinishedBatches() => _database.Run(connection =>
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT number FROM batches WHERE state <> 'committed' ORDER BY number";
        using var reader = cmd.ExecuteReader();
        var list = new List<ulong>();
        while (reader.Read())
        {
            list.Add((ulong)reader.GetInt64(0));
        }

        return list;
    });

    /// <summary>Assigns the next batch when the oldest unbatched frame has waited a window or enough bytes wait.</summary>
    private ulong? AssignDueBatch()
    {
        var epoch = _keys.CurrentEpoch();
        if (epoch is null)
        {
            return null;
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return _database.Run(connection =>
        {
            using var tx = connection.BeginTransaction(deferred: false);
            using var scan = connection.CreateCommand();
            scan.Transaction = tx;
            scan.CommandText = "SELECT id, LENGTH(bytes), received_ms FROM frames WHERE batch IS NULL ORDER BY id";
            long first = 0, last = 0, bytes = 0, oldest = 0;
            var count = 0;
            using (var reader = scan.ExecuteReader())
            {
                while (reader.Read())
                {
                    var size = reader.GetInt64(1) + IotBatch.PerFrameOverhead;
                    if (count > 0 && bytes + size > _options.MaxBatchBytes)
                    {
                        bytes = long.MaxValue;
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

            if (count == 0 || (bytes != long.MaxValue && now - oldest < _options.Window.TotalMilliseconds))
            {
                return (ulong?)null;
            }

            using var next = connection.CreateCommand();
            next.Transaction = tx;
            next.CommandText = "SELECT COALESCE(MAX(number), 0) + 1 FROM batches";
            var number = (long)next.ExecuteScalar()!;
            using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO batches (number, epoch, first_frame, last_frame, frame_count, state, created_ms)
                VALUES ($n, $e, $f, $l, $c, 'assigned', $t);
                UPDATE frames SET batch = $n WHERE batch IS NULL AND id BETWEEN $f AND $l;
                """;
            insert.Parameters.AddWithValue("$n", number);
            insert.Parameters.AddWithValue("$e", (long)epoch.Epoch);
            insert.Parameters.AddWithValue("$f", first);
            insert.Parameters.AddWithValue("$l", last);
            insert.Parameters.AddWithValue("$c", count);
            insert.Parameters.AddWithValue("$t", now);
            insert.ExecuteNonQuery();
            tx.Commit();
            return (ulong)number;
        });
    }

    private async Task PublishAsync(ulong number, CancellationToken cancellationToken)
    {
        var row = ReadBatch(number);
        var current = _keys.CurrentEpoch() ?? throw new InvalidOperationException("No committed key epoch.");
        if (row.Epoch != current.Epoch && row.Transaction is null)
        {
            // The key rotated before this batch was announced: seal it under the new epoch instead.
            row = row with { Epoch = current.Epoch };
            UpdateBatch(number, "UPDATE batches SET epoch = $v WHERE number = $n", (long)current.Epoch);
        }

        var key = _keys.Epoch(row.Epoch) ?? throw new InvalidOperationException($"The IoT key of epoch {row.Epoch} is missing.");
        var frames = ReadFrames(number);
        var batch = new IotBatch(_signer.Patient.Id, row.Epoch, number, frames.Select(f => f.Bytes).ToArray());
        var sealedBatch = batch.Seal(key.IotKey);
        var cid = await _store.PutCheckedAsync(sealedBatch, cancellationToken);

        var transaction = row.Transaction is { } stored ? Transaction.Decode(stored) : null;
        if (transaction is null)
        {
            var decoded = frames.Select(f => DeviceFrame.Decode(f.Bytes)).ToArray();
            var kinds = decoded.Select(f => f.Kind).Distinct().Order().ToArray();
            var end = decoded.Max(f => f.TimestampMs + f.DurationMs);
            transaction = _signer.Sign(new IotPayload(row.Epoch, number, cid, decoded.Min(f => f.TimestampMs), end, kinds, (uint)frames.Count));
            SaveTransaction(number, transaction, cid);
        }

        TxLocation location;
        try
        {
            (transaction, location) = await _signer.SubmitAsync(transaction, t => SaveTransaction(number, t, cid), cancellationToken);
        }
        catch (LedgerRejectedException e) when (e.Reason == RejectReason.StaleEpoch)
        {
            // Revoked while in flight: forget this transaction; the next pass seals the batch under the new epoch.
            _logger.LogInformation("Batch {Batch} was signed for a superseded epoch; re-sealing it", number);
            ForgetTransaction(number);
            throw;
        }

        _database.Run(connection =>
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "UPDATE batches SET state = 'committed', height = $h, committed_ms = $t WHERE number = $n";
            cmd.Parameters.AddWithValue("$h", (long)location.Height);
            cmd.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$n", (long)number);
            cmd.ExecuteNonQuery();
        });
        Interlocked.Add(ref _committedFrames, frames.Count);
        Interlocked.Increment(ref _committedBatches);
        Committed?.Invoke(new CommittedBatch(number, row.Epoch, frames.Count, cid, transaction.IdHex, location, frames.Min(f => f.ReceivedMs)));
    }

    private BatchRow ReadBatch(ulong number) => _database.Run(connection =>
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT epoch, tx FROM batches WHERE number = $n";
        cmd.Parameters.AddWithValue("$n", (long)number);
        using var reader = cmd.ExecuteReader();
        reader.Read();
        return new BatchRow((uint)reader.GetInt64(0), reader.IsDBNull(1) ? null : (byte[])reader[1]);
    });

    private List<(byte[] Bytes, long ReceivedMs)> ReadFrames(ulong number) => _database.Run(connection =>
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT bytes, received_ms FROM frames WHERE batch = $n ORDER BY id";
        cmd.Parameters.AddWithValue("$n", (long)number);
        using var reader = cmd.ExecuteReader();
        var list = new List<(byte[], long)>();
        while (reader.Read())
        {
            list.Add(((byte[])reader[0], reader.GetInt64(1)));
        }

        return list;
    });

    private void SaveTransaction(ulong number, Transaction transaction, Cid cid) => _database.Run(connection =>
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE batches SET tx = $x, tx_id = $i, cid = $c, state = 'signed' WHERE number = $n";
        cmd.Parameters.AddWithValue("$x", transaction.Encode());
        cmd.Parameters.AddWithValue("$i", transaction.IdHex);
        cmd.Parameters.AddWithValue("$c", cid.ToString());
        cmd.Parameters.AddWithValue("$n", (long)number);
        cmd.ExecuteNonQuery();
    });

    private void ForgetTransaction(ulong number) => _database.Run(connection =>
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE batches SET tx = NULL, tx_id = NULL, state = 'assigned', cid = NULL WHERE number = $n";
        cmd.Parameters.AddWithValue("$n", (long)number);
        cmd.ExecuteNonQuery();
    });

    private void UpdateBatch(ulong number, string sql, long value) => _database.Run(connection =>
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$v", value);
        cmd.Parameters.AddWithValue("$n", (long)number);
        cmd.ExecuteNonQuery();
    });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    private sealed record BatchRow(uint Epoch, byte[]? Transaction);
}
