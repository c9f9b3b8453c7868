using System.Security.Cryptography;
using CsCheck;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Protocol.Tests;

public class MerkleTests
{
    private static byte[][] Leaves(int n) => [.. Enumerable.Range(0, n).Select(i => SHA256.HashData(BitConverter.GetBytes(i)))];

    [Fact]
    public void Root_follows_rfc6962_for_small_trees()
    {
        var l = Leaves(3);
        var expected = MerkleTree.NodeHash(MerkleTree.NodeHash(MerkleTree.LeafHash(l[0]), MerkleTree.LeafHash(l[1])), MerkleTree.LeafHash(l[2]));

        Assert.Equal(SHA256.HashData(ReadOnlySpan<byte>.Empty), MerkleTree.ComputeRoot([]));
        Assert.Equal(MerkleTree.LeafHash(l[0]), MerkleTree.ComputeRoot([l[0]]));
        Assert.Equal(expected, MerkleTree.ComputeRoot(l));
    }

    [Fact]
    public void Last_leaf_is_not_duplicated_so_different_lists_never_share_a_root()
    {
        var l = Leaves(3);
        Assert.NotEqual(MerkleTree.ComputeRoot(l), MerkleTree.ComputeRoot([l[0], l[1], l[2], l[2]]));
    }

    [Fact]
    public void Every_proof_verifies_for_every_tree_size_up_to_70()
    {
        for (var n = 1; n <= 70; n++)
        {
            var leaves = Leaves(n);
            var root = MerkleTree.ComputeRoot(leaves);
            for (var i = 0; i < n; i++)
            {
                Assert.True(MerkleTree.Verify(leaves[i], MerkleTree.Prove(leaves, i), root), $"n={n} i={i}");
            }
        }
    }

    [Fact]
    public void Proofs_fail_for_a_wrong_leaf_index_root_or_path()
    {
        Gen.Int[2, 300].SelectMany(n => Gen.Int[0, n - 1].Select(i => (n, i))).Sample(t =>
        {
            var (n, i) = t;
            var leaves = Leaves(n);
            var root = MerkleTree.ComputeRoot(leaves);
            var proof = MerkleTree.Prove(leaves, i);

            Assert.False(MerkleTree.Verify(leaves[(i + 1) % n], proof, root));
            Assert.False(MerkleTree.Verify(leaves[i], proof with { LeafIndex = (i + 1) % n }, root));
            Assert.False(MerkleTree.Verify(leaves[i], proof with { TreeSize = i }, root));
            var badRoot = (byte[])root.Clone();
            badRoot[0] ^= 1;
            Assert.False(MerkleTree.Verify(leaves[i], proof, badRoot));
            if (proof.Path.Count > 0)
            {
                var path = proof.Path.Select(p => (byte[])p.Clone()).ToArray();
                path[^1][3] ^= 1;
                Assert.False(MerkleTree.Verify(leaves[i], proof with { Path = path }, root));
                Assert.False(MerkleTree.Verify(leaves[i], proof with { Path = path[..^1] }, root));
            }
        }, iter: 200);
    }
}
