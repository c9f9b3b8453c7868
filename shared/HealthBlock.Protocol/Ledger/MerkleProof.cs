namespace HealthBlock.Protocol.Ledger;

/// <summary>An RFC 6962 inclusion proof: the leaf's index, the tree size and the sibling hashes from the leaf up.</summary>
/// <param name="LeafIndex">Index of the leaf (the transaction's position in its block).</param>
/// <param name="TreeSize">Number of leaves (transactions in the block).</param>
/// <param name="Path">Sibling hashes, leaf level first.</param>
public sealed record MerkleProof(long LeafIndex, long TreeSize, IReadOnlyList<byte[]> Path);
