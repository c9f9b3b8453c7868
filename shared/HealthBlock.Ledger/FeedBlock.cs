using System.Security.Cryptography;
using System.Text.Json.Serialization;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// One committed block as a reader that may not read everything gets it (<see cref="LedgerRoutes.Feed"/>): the exact
/// header bytes and the proposer's signature, and only the transactions the reader may read, each with its Merkle
/// inclusion proof — so the reader checks the header (link to the previous one, proposer signature) and that each
/// transaction is in the block it names (<see cref="Verify"/>).
/// </summary>
public sealed class FeedBlock
{
    /// <summary>A feed block over the exact header bytes, the proposer's signature and the readable transactions.</summary>
    /// <exception cref="HealthBlock.Protocol.ProtocolException">The header bytes do not decode.</exception>
    [JsonConstructor]
    public FeedBlock(byte[] headerBytes, byte[] signature, IReadOnlyList<CommittedTransaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(headerBytes);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(transactions);
        HeaderBytes = headerBytes;
        Signature = signature;
        Transactions = transactions;
        Header = BlockHeader.Decode(headerBytes);
        Hash = SHA256.HashData(headerBytes);
    }

    /// <summary>The exact header bytes.</summary>
    public byte[] HeaderBytes { get; }

    /// <summary>The proposer's ECDSA signature over <see cref="Hash"/>.</summary>
    public byte[] Signature { get; }

    /// <summary>The transactions the reader may read, in block order, each with its proof.</summary>
    public IReadOnlyList<CommittedTransaction> Transactions { get; }

    /// <summary>The decoded header.</summary>
    [JsonIgnore]
    public BlockHeader Header { get; }

    /// <summary>The block hash (SHA-256 of the header bytes).</summary>
    [JsonIgnore]
    public byte[] Hash { get; }

    /// <summary>The feed block of <paramref name="block"/> holding the transactions at <paramref name="indexes"/> (ascending), with proofs or not.</summary>
    public static FeedBlock Of(Block block, IEnumerable<int> indexes, bool withProofs)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(indexes);
        return new(block.HeaderBytes, block.Signature, [.. indexes.Select(i => CommittedTransaction.FromBlock(block, i, withProofs))]);
    }

    /// <summary>
    /// Null when this block can follow a block whose hash is <paramref name="previousHash"/> (null: not known, not
    /// checked) at the height after it, is signed by <paramref name="proposer"/> (the accounting node the header names,
    /// null when the genesis has none such) and every transaction's proof leads to the header's Merkle root; else why not.
    /// </summary>
    public string? Verify(ChainId chain, ulong height, byte[]? previousHash, PublicIdentity? proposer)
    {
        var name = $"{LedgerText.ChainName(Header.Chain)} block {Header.Height}";
        if (Header.Chain != chain || Header.Height != height)
        {
            return $"the feed sent {name} where {LedgerText.ChainName(chain)} block {height} was due";
        }

        if (previousHash is not null && !Header.PreviousHash.AsSpan().SequenceEqual(previousHash))
        {
            return $"{name} does not link to the block before it";
        }

        if (proposer is null || proposer.Id != Header.Proposer || !proposer.Verify(Hash, Signature))
        {
            return $"{name} is not signed by a genesis accounting node";
        }

        foreach (var t in Transactions)
        {
            if (t.Location.Chain != chain || t.Location.Height != height || !t.MerkleRoot.AsSpan().SequenceEqual(Header.MerkleRoot) || !t.BlockHash.AsSpan().SequenceEqual(Hash) || !t.VerifyInclusion())
            {
                return $"transaction {t.Transaction.IdHex} is not proven to be in {name}";
            }
        }

        return null;
    }
}
