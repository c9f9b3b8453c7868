using HealthBlock.Crypto;
using HealthBlock.Data;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Data.Sqlite;

namespace HealthBlock.Accounting;

/// <summary>
/// The replica's transaction index on disk (<c>index.db</c>, SQLite): transactions by id and by party, so a restart
/// opens a file instead of re-reading every block, and memory does not grow with the chains. Entries of blocks applied
/// since the last state snapshot stay in memory (<see cref="InMemoryTransactionIndex"/>) and move to the file in one
/// transaction when the snapshot is written (<see cref="Flush"/>), together with the chain heights they reach: the file
/// is never ahead of the snapshot, and at start the blocks between its heights and the snapshot's are indexed again
/// from the block files. Called under the replica's lock only.
/// </summary>
internal sealed class DiskTransactionIndex : ITransactionIndex, IDisposable
{
    /// <summary>Its file name in the data directory.</summary>
    public const string FileName = "index.db";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS tx (id BLOB PRIMARY KEY, chain INTEGER NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL,
            type INTEGER NOT NULL, subject BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS party (party BLOB NOT NULL, chain INTEGER NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL,
            PRIMARY KEY (party, chain, height, idx)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        """;

    private readonly SqliteConnection _db;
    private readonly SqliteCommand _find;
    private InMemoryTransactionIndex _hot = new();
    private List<(byte[] Id, TxEntry Entry, IReadOnlyList<IdentityId> Parties)> _hotOrder = [];
    private readonly ulong[] _hotBlocks = new ulong[2];
    private long _stored;

    private DiskTransactionIndex(SqliteConnection db)
    {
        _db = db;
        _find = SqliteStatements.Command(db, null, "SELECT chain, height, idx, type, subject FROM tx WHERE id = $id");
        _find.Parameters.Add("$id", SqliteType.Blob);
        _stored = Meta("count");
    }

    /// <summary>Opens (creating) the index in <paramref name="dataDirectory"/>.</summary>
    public static DiskTransactionIndex Open(string dataDirectory)
    {
        var db = SqliteDatabase.Open(dataDirectory, FileName, durable: false);
        try
        {
            using (var create = SqliteStatements.Command(db, null, Schema))
            {
                create.ExecuteNonQuery();
            }

            return new DiskTransactionIndex(db);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public long Count => _stored + _hot.Count;

    /// <summary>Transactions in the file (the rest wait in memory for the next snapshot).</summary>
    public long Stored => _stored;

    /// <summary>Blocks of <paramref name="chain"/> the file covers (heights 0 … n − 1).</summary>
    public ulong StoredBlocks(ChainId chain) => (ulong)Meta(Name(chain));

    /// <inheritdoc />
    public TxEntry? Find(ReadOnlySpan<byte> transactionId)
    {
        if (_hot.Find(transactionId) is { } hot)
        {
            return hot;
        }

        _find.Parameters[0].Value = transactionId.ToArray();
        using var r = _find.ExecuteReader();
        return r.Read()
            ? new TxEntry(new TxLocation((ChainId)r.GetInt32(0), (ulong)r.GetInt64(1), r.GetInt32(2)), (TransactionType)r.GetInt32(3), IdentityId.FromBytes((byte[])r[4]))
            : null;
    }

    /// <inheritdoc />
    public void Add(byte[] transactionId, TxEntry entry, IReadOnlyList<IdentityId> parties)
    {
        _hot.Add(transactionId, entry, parties);
        _hotOrder.Add((transactionId, entry, parties));
        var chain = entry.Location.Chain == ChainId.Docchain ? 1 : 0;
        _hotBlocks[chain] = Math.Max(_hotBlocks[chain], entry.Location.Height + 1);
    }

    /// <inheritdoc />
    public IReadOnlyList<TxLocation> PartyTransactions(IdentityId party, ChainId chain, ulong fromHeight, int limit)
    {
        var list = SqliteStatements.Rows(
            _db,
            null,
            "SELECT height, idx FROM party WHERE party = $p AND chain = $c AND height >= $h ORDER BY height, idx LIMIT $l",
            r => new TxLocation(chain, (ulong)r.GetInt64(0), r.GetInt32(1)),
            ("$p", party.Bytes.ToArray()),
            ("$c", (int)chain),
            ("$h", (long)fromHeight),
            ("$l", limit));
        if (list.Count < limit)
        {
            list.AddRange(_hot.PartyTransactions(party, chain, fromHeight, limit - list.Count));
        }

        return list;
    }

    /// <summary>
    /// Moves the entries in memory (blocks of the snapshot just written) to the file, in one transaction, with the chain
    /// heights they reach.
    /// </summary>
    public void Flush()
    {
        if (_hotOrder.Count == 0)
        {
            return;
        }

        var userchainBlocks = Math.Max(StoredBlocks(ChainId.Userchain), _hotBlocks[0]);
        var docchainBlocks = Math.Max(StoredBlocks(ChainId.Docchain), _hotBlocks[1]);

        using var tx = _db.BeginTransaction();
        using var insertTx = SqliteStatements.Command(_db, tx, "INSERT OR REPLACE INTO tx (id, chain, height, idx, type, subject) VALUES ($i, $c, $h, $x, $t, $s)");
        using var insertParty = SqliteStatements.Command(_db, tx, "INSERT OR IGNORE INTO party (party, chain, height, idx) VALUES ($p, $c, $h, $x)");
        var ti = insertTx.Parameters;
        var (i, c, h, x, t, s) = (ti.Add("$i", SqliteType.Blob), ti.Add("$c", SqliteType.Integer), ti.Add("$h", SqliteType.Integer), ti.Add("$x", SqliteType.Integer), ti.Add("$t", SqliteType.Integer), ti.Add("$s", SqliteType.Blob));
        var pi = insertParty.Parameters;
        var (pp, pc, ph, px) = (pi.Add("$p", SqliteType.Blob), pi.Add("$c", SqliteType.Integer), pi.Add("$h", SqliteType.Integer), pi.Add("$x", SqliteType.Integer));
        foreach (var (id, entry, parties) in _hotOrder)
        {
            (i.Value, c.Value, h.Value, x.Value, t.Value, s.Value) = (id, (int)entry.Location.Chain, (long)entry.Location.Height, entry.Location.Index, (int)entry.Type, entry.Subject.Bytes.ToArray());
            insertTx.ExecuteNonQuery();
            foreach (var party in parties)
            {
                (pp.Value, pc.Value, ph.Value, px.Value) = (party.Bytes.ToArray(), (int)entry.Location.Chain, (long)entry.Location.Height, entry.Location.Index);
                insertParty.ExecuteNonQuery();
            }
        }

        var stored = _stored + _hotOrder.Count;
        SetMeta(tx, "count", stored);
        SetMeta(tx, Name(ChainId.Userchain), (long)userchainBlocks);
        SetMeta(tx, Name(ChainId.Docchain), (long)docchainBlocks);
        tx.Commit();
        _stored = stored;
        _hot = new InMemoryTransactionIndex();
        _hotOrder = [];
        Array.Clear(_hotBlocks);
    }

    /// <summary>Empties the index (file and memory), to build it again from the blocks.</summary>
    public void Reset()
    {
        SqliteStatements.Execute(_db, "DELETE FROM tx; DELETE FROM party; DELETE FROM meta;");
        _stored = 0;
        _hot = new InMemoryTransactionIndex();
        _hotOrder = [];
        Array.Clear(_hotBlocks);
    }

    /// <summary>Bytes of the index files on disk (database and its write-ahead log).</summary>
    public static long BytesOnDisk(string dataDirectory) =>
        new[] { FileName, FileName + "-wal", FileName + "-shm" }.Select(f => Path.Combine(dataDirectory, f)).Where(File.Exists).Sum(f => new FileInfo(f).Length);

    public void Dispose()
    {
        _find.Dispose();
        _db.Dispose();
    }

    private static string Name(ChainId chain) => "blocks:" + LedgerText.ChainName(chain);

    private long Meta(string name) => SqliteStatements.Scalar(_db, null, "SELECT value FROM meta WHERE name = $n", ("$n", name)) is long v ? v : 0;

    private void SetMeta(SqliteTransaction tx, string name, long value) =>
        SqliteStatements.NonQuery(_db, tx, "INSERT INTO meta (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = excluded.value", ("$n", name), ("$v", value));
}
