using System.Security.Cryptography;
using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Ledger;

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
    public static Block Create(NetworkId network, ChainId chain, ulong height, byte[] previousHash, long timeMs, IdentityKey proposer, IReadOnlyList<Transaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(proposer);
        ArgumentNullException.ThrowIfNull(transactions);
        var root = MerkleTree.ComputeRoot(transactions.Select(t => t.IdBytes).ToArray());
        var header = new BlockHeader(chain, height, previousHash, root, timeMs, proposer.Id, (uint)transactions.Count, network);
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
