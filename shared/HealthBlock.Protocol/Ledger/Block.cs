using System.Security.Cryptography;
using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// A block header: <c>{0: version, 1: chain, 2: height, 3: previous hash, 4: Merkle root, 5: time ms, 6: proposer, 7: tx count}</c>
/// in canonical CBOR. The block hash is SHA-256 of this encoding; height 0's previous hash is 32 zero bytes.
/// </summary>
/// <param name="Chain">Which chain.</param>
/// <param name="Height">Height, from 0.</param>
/// <param name="PreviousHash">Hash of the block at <c>Height - 1</c>.</param>
/// <param name="MerkleRoot">RFC 6962 root over the transaction ids.</param>
/// <param name="TimeMs">When the proposer sealed it.</param>
/// <param name="Proposer">The accounting node that proposed it.</param>
/// <param name="TransactionCount">Number of transactions.</param>
public sealed record BlockHeader(ChainId Chain, ulong Height, byte[] PreviousHash, byte[] MerkleRoot, long TimeMs, IdentityId Proposer, uint TransactionCount)
{
    /// <summary>Header format version.</summary>
    public const uint Version = 1;

    /// <summary>Most transactions one block may hold.</summary>
    public const int MaxTransactions = 100_000;

    /// <summary>The canonical encoding.</summary>
    public byte[] Encode()
    {
        var w = CanonicalCbor.NewWriter();
        w.WriteStartMap(8);
        w.WriteUInt32(0);
        w.WriteUInt32(Version);
        w.WriteUInt32(1);
        w.WriteUInt32((byte)Chain);
        w.WriteUInt32(2);
        w.WriteUInt64(Height);
        w.WriteUInt32(3);
        w.WriteByteString(PreviousHash);
        w.WriteUInt32(4);
        w.WriteByteString(MerkleRoot);
        w.WriteUInt32(5);
        w.WriteInt64(TimeMs);
        w.WriteUInt32(6);
        w.WriteByteString(Proposer.Bytes);
        w.WriteUInt32(7);
        w.WriteUInt32(TransactionCount);
        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary>The block hash.</summary>
    public byte[] Hash() => SHA256.HashData(Encode());

    /// <summary>Decodes a header.</summary>
    public static BlockHeader Decode(ReadOnlyMemory<byte> data) => CanonicalCbor.Decode(data, "block header", Read);

    internal static BlockHeader Read(CanonicalReader r)
    {
        r.BeginMap(8, 8);
        r.Key(0);
        var version = r.UInt32();
        if (version != Version)
        {
            throw new ProtocolException(ProtocolError.UnsupportedVersion, $"Block header version {version} is not supported.");
        }

        r.Key(1);
        var chain = r.Byte();
        if (chain is not ((byte)ChainId.Userchain or (byte)ChainId.Docchain))
        {
            throw r.Invalid($"unknown chain {chain}");
        }

        r.Key(2);
        var height = r.UInt64();
        r.Key(3);
        var prev = r.Bytes(32);
        r.Key(4);
        var root = r.Bytes(32);
        r.Key(5);
        var time = r.Int64();
        r.Key(6);
        var proposer = TransactionPayload.ReadId(r);
        r.Key(7);
        var count = r.UInt32();
        if (count > MaxTransactions)
        {
            throw r.Invalid($"{count} transactions (at most {MaxTransactions})");
        }

        r.EndMap();
        return new BlockHeader((ChainId)chain, height, prev, root, time, proposer, count);
    }
}

/// <summary>
/// A block: canonical CBOR <c>[header bytes, proposer signature over the block hash, [transactions…]]</c>.
/// </summary>
public sealed class Block
{
    private Block(BlockHeader header, byte[] headerBytes, byte[] signature, IReadOnlyList<Transaction> transactions)
    {
        Header = header;
        HeaderBytes = headerBytes;
        Signature = signature;
        Transactions = transactions;
        Hash = SHA256.HashData(headerBytes);
    }

    /// <summary>The header.</summary>
    public BlockHeader Header { get; }

    /// <summary>The exact header bytes.</summary>
    public byte[] HeaderBytes { get; }

    /// <summary>The proposer's ECDSA signature over <see cref="Hash"/>.</summary>
    public byte[] Signature { get; }

    /// <summary>The transactions, in order.</summary>
    public IReadOnlyList<Transaction> Transactions { get; }

    /// <summary>The block hash (SHA-256 of the header bytes).</summary>
    public byte[] Hash { get; }

    /// <summary>Builds and signs a block over <paramref name="transactions"/>.</summary>
    public static Block Create(ChainId chain, ulong height, byte[] previousHash, long timeMs, IdentityKey proposer, IReadOnlyList<Transaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(proposer);
        ArgumentNullException.ThrowIfNull(transactions);
        var root = MerkleTree.ComputeRoot(transactions.Select(t => t.IdBytes).ToArray());
        var header = new BlockHeader(chain, height, previousHash, root, timeMs, proposer.Id, (uint)transactions.Count);
        var bytes = header.Encode();
        return new Block(header, bytes, proposer.Sign(SHA256.HashData(bytes)), transactions);
    }

    /// <summary>Recomputes the Merkle root from the transactions and compares it with the header's.</summary>
    public bool MerkleRootMatches() =>
        Header.TransactionCount == Transactions.Count &&
        MerkleTree.ComputeRoot(Transactions.Select(t => t.IdBytes).ToArray()).AsSpan().SequenceEqual(Header.MerkleRoot);

    /// <summary>The inclusion proof of transaction <paramref name="index"/>.</summary>
    public MerkleProof Prove(int index) => MerkleTree.Prove(Transactions.Select(t => t.IdBytes).ToArray(), index);

    /// <summary>True when the proposer's signature verifies.</summary>
    public bool VerifyProposer(PublicIdentity proposer)
    {
        ArgumentNullException.ThrowIfNull(proposer);
        return proposer.Id == Header.Proposer && proposer.Verify(Hash, Signature);
    }

    /// <summary>The canonical encoding.</summary>
    public byte[] Encode()
    {
        var w = CanonicalCbor.NewWriter();
        w.WriteStartArray(3);
        w.WriteByteString(HeaderBytes);
        w.WriteByteString(Signature);
        w.WriteStartArray(Transactions.Count);
        foreach (var tx in Transactions)
        {
            tx.WriteTo(w);
        }

        w.WriteEndArray();
        w.WriteEndArray();
        return w.Encode();
    }

    /// <summary>Decodes a block (signatures and Merkle root are not checked here; see the audit).</summary>
    /// <exception cref="ProtocolException">Malformed or non-canonical.</exception>
    public static Block Decode(ReadOnlyMemory<byte> data) => CanonicalCbor.Decode(data, "block", r =>
    {
        if (r.BeginArray(3) != 3)
        {
            throw r.Invalid("a block is [header, signature, transactions]");
        }

        var headerBytes = r.BytesUpTo(1024);
        var header = BlockHeader.Decode(headerBytes);
        var signature = r.Bytes(PublicIdentity.SignatureSize);
        var n = r.BeginArray(BlockHeader.MaxTransactions);
        if (n != header.TransactionCount)
        {
            throw r.Invalid($"header counts {header.TransactionCount} transactions but the block holds {n}");
        }

        var txs = new Transaction[n];
        for (var i = 0; i < n; i++)
        {
            txs[i] = Transaction.Read(r);
        }

        r.EndArray();
        r.EndArray();
        return new Block(header, headerBytes, signature, txs);
    });
}
