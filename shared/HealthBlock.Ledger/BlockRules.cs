using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The validation rules of a block header against a <see cref="LedgerState"/> (height, link, Merkle root, proposer role
/// and signature, time), and the parallel pre-verification of its transactions' signatures.
/// </summary>
internal static class BlockRules
{
    /// <summary>Null when the header of <paramref name="block"/> may follow <paramref name="state"/>'s tip; else why not.</summary>
    public static Rejection? CheckHeader(LedgerState state, Block block)
    {
        var h = block.Header;
        var tip = state.Tip(h.Chain);
        var name = LedgerText.ChainName(h.Chain);
        if (h.Network != state.Genesis.NetworkId)
        {
            return new(RejectReason.BlockWrongNetwork, $"{name} block {h.Height} belongs to network {h.Network.Short}…, not this ledger's {state.Genesis.NetworkId.Short}…");
        }

        if (h.Height != tip.BlockCount)
        {
            return new(RejectReason.BlockHeightMismatch, $"{name} block has height {h.Height} but the chain expects {tip.BlockCount}");
        }

        if (!h.PreviousHash.AsSpan().SequenceEqual(tip.LastHash))
        {
            return new(RejectReason.BlockLinkBroken, $"{name} block {h.Height} does not link to the hash of block {h.Height - 1}");
        }

        if (!block.MerkleRootMatches())
        {
            return new(RejectReason.BlockMerkleRootMismatch, $"{name} block {h.Height}: the Merkle root does not match its transactions");
        }

        var proposer = state.GetIdentity(h.Proposer);
        if (proposer is null || proposer.Role != Role.AccountingNode)
        {
            return new(RejectReason.BlockUnknownProposer, $"{name} block {h.Height}: proposer {h.Proposer} is not a registered accounting node");
        }

        if (!block.VerifyProposer(proposer.Keys))
        {
            return new(RejectReason.BlockBadSignature, $"{name} block {h.Height}: the proposer's signature does not verify");
        }

        var last = state.LastBlockTimeMs;
        if (h.TimeMs <= last)
        {
            return new(RejectReason.BlockTimeRegressed, $"{name} block {h.Height} is timed {h.TimeMs}, not after the latest block of either chain ({last})");
        }

        return null;
    }

    /// <summary>
    /// Verifies the signatures of a block's transactions whose signers <paramref name="state"/> already knows, in parallel: per transaction true (valid), false (invalid) or null (verify in order).
    /// </summary>
    public static bool?[] PreverifySignatures(LedgerState state, Block block)
    {
        var txs = block.Transactions;
        var keys = new PublicIdentity?[txs.Count];
        for (var i = 0; i < txs.Count; i++)
        {
            keys[i] = state.GetIdentity(txs[i].Body.Signer)?.Keys;
        }

        var result = new bool?[txs.Count];
        Parallel.For(0, txs.Count, i =>
        {
            if (keys[i] is { } k)
            {
                result[i] = SignatureVerifier.Verify(k, txs[i]);
            }
        });
        return result;
    }
}
