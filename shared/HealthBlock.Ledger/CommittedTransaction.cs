using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>A committed transaction and where it is.</summary>
/// <param name="Transaction">The signed transaction.</param>
/// <param name="Location">Chain, block height and index.</param>
/// <param name="BlockHash">Hash of its block.</param>
/// <param name="MerkleRoot">Its block's Merkle root.</param>
/// <param name="Proof">The RFC 6962 inclusion proof of its id under <paramref name="MerkleRoot"/> (null in lists).</param>
/// <param name="BlockTimeMs">Its block's time (Unix ms), so a reader needs no block to date it.</param>
public sealed record CommittedTransaction(Transaction Transaction, TxLocation Location, byte[] BlockHash, byte[] MerkleRoot, MerkleProof? Proof, long BlockTimeMs = 0)
{
    /// <summary>True when the proof leads from the transaction id to the Merkle root.</summary>
    public bool VerifyInclusion() =>
        Proof is not null && Proof.LeafIndex == Location.Index && MerkleTree.Verify(Transaction.Id, Proof, MerkleRoot);

    /// <summary>Builds the record for transaction <paramref name="index"/> of <paramref name="block"/>.</summary>
    public static CommittedTransaction FromBlock(Block block, int index, bool withProof)
    {
        ArgumentNullException.ThrowIfNull(block);
        return new(
            block.Transactions[index],
            new TxLocation(block.Header.Chain, block.Header.Height, index),
            block.Hash,
            block.Header.MerkleRoot,
            withProof ? block.Prove(index) : null,
            block.Header.TimeMs);
    }
}
