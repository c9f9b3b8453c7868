using System.Formats.Cbor;
using System.Security.Cryptography;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger.Tests;

/// <summary>
/// A second fixed history (<c>data/pinned-statistics/</c>: a genesis and 15 blocks of the statistics transactions) replayed
/// onto a fresh state: its state hash, snapshot bytes and party index are pinned as <see cref="PinnedHistoryTests"/> pins
/// the first, so a change to how statistics state is kept or encoded fails here.
/// </summary>
public sealed class PinnedStatisticsHistoryTests
{
    internal static readonly string Folder = RepositoryFiles.InRepository("shared", "HealthBlock.Ledger.Tests", "data", "pinned-statistics");

    // Re-pinned when state encoding v2 (each patient's last live sequence, issue 17) met the statistics tables (issue 20),
    // and when self-registration was refused (issue 16): the same story re-signed with fresh keys, the admin registering
    // the patients (was 403c942cc984f06b09ce22a19fc13b98ae0e081a837f9959f3c676806a3ec871).
    private const string PinnedStateHash = "bacc0620c613fbf42ff0aa5685818a246c1ce09001409cc8c29d38cba8814810";
    private const string PinnedPartyIndexSha256 = "3213e27f19c655f43445ef56fbcb36e871417f076521dcaa0f64ed171fed3ac2";

    [Fact]
    public void Replaying_the_pinned_statistics_history_gives_the_pinned_state_hash_snapshot_and_party_index()
    {
        var (genesis, state, _) = PinnedHistoryTests.Replay(Folder);

        Assert.Equal(PinnedStateHash, Convert.ToHexStringLower(state.ComputeStateHash()));
        var snapshot = state.ToSnapshot();
        Assert.Equal(PinnedStateHash, Convert.ToHexStringLower(SHA256.HashData(snapshot)));
        Assert.Equal(10, new CborReader(snapshot).ReadStartArray());
        Assert.Equal(snapshot, LedgerState.FromSnapshot(genesis, snapshot).ToSnapshot());
        Assert.Equal(PinnedPartyIndexSha256, PinnedHistoryTests.PartyIndexDigest(state));
    }

    [Fact]
    public void The_pinned_statistics_history_holds_the_story_its_readme_tells()
    {
        var (_, state, blocks) = PinnedHistoryTests.Replay(Folder);
        var txs = blocks.SelectMany(b => b.Transactions).ToList();
        var statistics = txs.Single(t => t.Body.Payload is StatisticsKeyPayload).Body.Signer;

        Assert.Equal(7, txs.Count(t => t.Body.Payload is StatisticsContributionPayload));
        Assert.Equal(4, txs.Count(t => t.Body.Payload is StatisticsConsentPayload));
        Assert.Equal(3u, state.Statistics.GetK(statistics));
        var record = (StatisticsDecryptionPayload)txs.Single(t => t.Body.Payload is StatisticsDecryptionPayload).Body.Payload;
        Assert.Equal(3, record.Patients.Count);
        var leaver = txs.Single(t => t.Body.Payload is StatisticsConsentPayload { OptIn: false }).Body.Signer;
        Assert.Contains(leaver, record.Patients);
        Assert.Null(state.Statistics.GetConsent(leaver, statistics)!.InSinceMs);
        Assert.Equal(StatisticsWorld.OptInMs + (3 * StatisticsWorld.PeriodMs), record.Patients.Max(p => state.Statistics.GetLastPeriodEnd(p, statistics)));
    }
}
