using System.Security.Cryptography;
using System.Text;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger.Tests;

/// <summary>
/// A fixed committed history (<c>data/pinned-history/</c>: a genesis and the 59 blocks of a scripted story and of
/// mixed operations on both chains) replayed onto a fresh state: its state hash, snapshot bytes and party index are pinned,
/// so a refactoring of <see cref="LedgerState"/> that changes any of them fails here.
/// </summary>
public sealed class PinnedHistoryTests
{
    // Re-pinned when the state encoding went to version 2 (each patient's last live sequence number, issue 17; the
    // version 1 pin was 3f8cf09e…), and again when self-registration was refused (issue 16): the history was made again
    // with the admin registering the patients, so identities, nonces and signatures changed (the v2 pin over the old
    // history was 9b8f803d99eebacfeb088a49cfdcf57707fbc2a7affa9c5acfc8a953ba21764b).
    private const string PinnedStateHash = "9b71c7dbd847d1c85d31016d801b07200994bbb2f8014341a2c527cdce484158";
    // The state hash is SHA-256 over the snapshot encoding, so the two pins are equal today; each guards its own path.
    private const string PinnedSnapshotSha256 = "9b71c7dbd847d1c85d31016d801b07200994bbb2f8014341a2c527cdce484158";
    private const string PinnedPartyIndexSha256 = "fb94fb0de578b7fb75082cae4e909872c509b75b6cc8a10ec8fdcc37f69816aa";

    private static readonly string Folder = RepositoryFiles.InRepository("shared", "HealthBlock.Ledger.Tests", "data", "pinned-history");

    [Fact]
    public void Replaying_the_pinned_history_gives_the_pinned_state_hash_and_snapshot()
    {
        var (genesis, state, _) = Replay();

        Assert.Equal(PinnedStateHash, Convert.ToHexStringLower(state.ComputeStateHash()));
        var snapshot = state.ToSnapshot();
        Assert.Equal(PinnedSnapshotSha256, Convert.ToHexStringLower(SHA256.HashData(snapshot)));
        Assert.Equal(snapshot, LedgerState.FromSnapshot(genesis, snapshot).ToSnapshot());
    }

    [Fact]
    public void The_pinned_histories_cover_every_transaction_type_on_both_chains()
    {
        var (_, _, blocks) = Replay();
        var (_, _, statistics) = Replay(PinnedStatisticsHistoryTests.Folder);

        var types = blocks.Concat(statistics).SelectMany(b => b.Transactions).Select(t => t.Body.Type).Distinct().Order();
        Assert.Equal(Enum.GetValues<TransactionType>().Order(), types);
        Assert.Contains(blocks, b => b.Header.Chain == ChainId.Docchain);
    }

    [Fact]
    public void Replaying_the_pinned_history_gives_the_pinned_indexes()
    {
        var (_, state, blocks) = Replay();

        Assert.Equal(PinnedPartyIndexSha256, PartyIndexDigest(state));
        foreach (var block in blocks)
        {
            for (var i = 0; i < block.Transactions.Count; i++)
            {
                Assert.Equal(new TxLocation(block.Header.Chain, block.Header.Height, i), state.FindTransaction(block.Transactions[i].IdBytes));
            }
        }
    }

    [Fact]
    public void A_snapshot_with_the_blocks_indexed_again_gives_the_same_party_index()
    {
        var (genesis, state, blocks) = Replay();
        var restored = LedgerState.FromSnapshot(genesis, state.ToSnapshot());
        foreach (var block in blocks)
        {
            restored.IndexRestoredBlock(block);
        }

        Assert.Equal(PartyIndexDigest(state), PartyIndexDigest(restored));
    }

    internal static (Genesis Genesis, LedgerState State, List<Block> Blocks) Replay(string? folder = null)
    {
        folder ??= Folder;
        var genesis = Genesis.Parse(File.ReadAllText(Path.Combine(folder, "genesis.json")));
        var blocks = File.ReadAllLines(Path.Combine(folder, "blocks.hex"))
            .Where(l => l.Length > 0)
            .Select(l => Block.Decode(Convert.FromHexString(l)))
            .ToList();
        var state = LedgerState.FromGenesis(genesis);
        foreach (var block in blocks)
        {
            var rejection = state.TryApplyBlock(block);
            Assert.True(rejection is null, rejection?.ToString());
        }

        return (genesis, state, blocks);
    }

    /// <summary>SHA-256 over every identity's transaction locations on both chains, identities in id order.</summary>
    internal static string PartyIndexDigest(LedgerState state)
    {
        var text = new StringBuilder();
        foreach (var identity in state.AllIdentities.OrderBy(i => i.Id))
        {
            foreach (var chain in new[] { ChainId.Userchain, ChainId.Docchain })
            {
                text.Append(identity.Id).Append(' ').Append(LedgerText.ChainName(chain)).Append(':');
                foreach (var location in state.GetPartyTransactions(identity.Id, chain, 0, int.MaxValue))
                {
                    text.Append(' ').Append(location);
                }

                text.Append('\n');
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
