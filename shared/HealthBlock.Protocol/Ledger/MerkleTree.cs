using System.Security.Cryptography;

namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// Merkle trees over transaction ids as RFC 6962 / RFC 9162 define them: leaf hash <c>SHA-256(0x00 ‖ id)</c>,
/// node hash <c>SHA-256(0x01 ‖ left ‖ right)</c>, the tree split at the largest power of two below its size (no
/// duplicated last leaf, so no CVE-2012-2459 style collisions), empty tree = SHA-256 of nothing.
/// </summary>
public static class MerkleTree
{
    /// <summary>Hash size.</summary>
    public const int HashSize = 32;

    /// <summary>The root over <paramref name="leaves"/> (transaction ids).</summary>
    public static byte[] ComputeRoot(IReadOnlyList<byte[]> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count == 0)
        {
            return SHA256.HashData(ReadOnlySpan<byte>.Empty);
        }

        var level = new byte[leaves.Count][];
        for (var i = 0; i < leaves.Count; i++)
        {
            level[i] = LeafHash(leaves[i]);
        }

        return Root(level, 0, level.Length);
    }

    /// <summary>The inclusion proof (audit path) of leaf <paramref name="index"/>.</summary>
    public static MerkleProof Prove(IReadOnlyList<byte[]> leaves, int index)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leaves.Count);
        var hashes = leaves.Select(l => LeafHash(l)).ToArray();
        var path = new List<byte[]>();
        Path(hashes, index, 0, hashes.Length, path);
        return new MerkleProof(index, leaves.Count, path);
    }

    /// <summary>
    /// Verifies that <paramref name="leaf"/> is at the proof's index in a tree of the proof's size with root <paramref name="root"/>
    /// (RFC 9162 §2.1.3.2).
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> leaf, MerkleProof proof, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (proof.LeafIndex < 0 || proof.LeafIndex >= proof.TreeSize || root.Length != HashSize)
        {
            return false;
        }

        long fn = proof.LeafIndex, sn = proof.TreeSize - 1;
        var r = LeafHash(leaf);
        foreach (var p in proof.Path)
        {
            if (p.Length != HashSize || sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = NodeHash(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, root);
    }

    /// <summary><c>SHA-256(0x00 ‖ leaf)</c>.</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> leaf)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData([0x00]);
        h.AppendData(leaf);
        return h.GetHashAndReset();
    }

    /// <summary><c>SHA-256(0x01 ‖ left ‖ right)</c>.</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * HashSize)];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        return SHA256.HashData(buffer);
    }

    private static byte[] Root(byte[][] hashes, int start, int count)
    {
        if (count == 1)
        {
            return hashes[start];
        }

        var k = SplitPoint(count);
        return NodeHash(Root(hashes, start, k), Root(hashes, start + k, count - k));
    }

    private static void Path(byte[][] hashes, int index, int start, int count, List<byte[]> path)
    {
        if (count == 1)
        {
            return;
        }

        var k = SplitPoint(count);
        if (index < k)
        {
            Path(hashes, index, start, k, path);
            path.Add(Root(hashes, start + k, count - k));
        }
        else
        {
            Path(hashes, index - k, start + k, count - k, path);
            path.Add(Root(hashes, start, k));
        }
    }

    private static int SplitPoint(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }
}
