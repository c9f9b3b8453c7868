using System.Security.Cryptography;
using System.Text;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting;

/// <summary>
/// The mark a follower puts on a submission it forwards to the leader: the header <see cref="Header"/> with
/// <c>NODE-ID BASE64(signature)</c>, the node key's signature over a domain tag, the node id and the exact body. The
/// leader then knows the forwarding node raised any alert itself (naming the real client); a mark that does not verify
/// counts as none, so nobody can silence alerts by adding the header.
/// </summary>
internal static class ForwardingMark
{
    /// <summary>The header that carries the mark.</summary>
    public const string Header = "HealthBlock-Forwarded-By";

    /// <summary>The header value for <paramref name="body"/> forwarded by <paramref name="node"/>.</summary>
    public static string Create(IdentityKey node, ReadOnlySpan<byte> body) =>
        $"{node.Id} {Convert.ToBase64String(node.Sign(Digest(node.Id, body)))}";

    /// <summary>
    /// True when <paramref name="mark"/> names a registered accounting node other than <paramref name="self"/> and
    /// carries its valid signature over <paramref name="body"/>.
    /// </summary>
    /// <param name="mark">The header value (empty when absent).</param>
    /// <param name="body">The exact request body.</param>
    /// <param name="self">This node (its own mark is never a peer's).</param>
    /// <param name="identity">Looks up a committed identity.</param>
    public static bool IsFromPeer(string mark, byte[] body, IdentityId self, Func<IdentityId, IdentityRecord?> identity)
    {
        var space = mark.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !IdentityId.TryParse(mark[..space], out var node) || node == self)
        {
            return false;
        }

        var signature = new byte[96];
        if (!Convert.TryFromBase64String(mark[(space + 1)..], signature, out var length))
        {
            return false;
        }

        return identity(node) is { Role: Role.AccountingNode } record && record.Keys.Verify(Digest(node, body), signature.AsSpan(0, length));
    }

    /// <summary>The digest a mark signs: a domain tag, the forwarding node and the exact request body.</summary>
    private static byte[] Digest(IdentityId node, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("healthblock-forwarded-v1\0"u8);
        hash.AppendData(Encoding.ASCII.GetBytes(node.ToString()));
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }
}
