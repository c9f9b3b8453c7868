using HealthBlock.Crypto;
using HealthBlock.Devnet;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting.Tests;

/// <summary>
/// The feed (<see cref="LedgerRoutes.Feed"/>) on a real node: a doctor gets every block's header but only its own
/// transactions and those of the patients that grant it — the revocation included, nothing of the patient after it,
/// nothing of other patients — each proven against its header; a feed resumed mid-chain knows who grants the doctor.
/// </summary>
public sealed class FeedTests
{
    [Fact]
    public async Task A_doctors_feed_carries_its_patients_transactions_until_the_revocation_and_nothing_else()
    {
        await using var cluster = await LocalCluster.StartAsync(1, new LocalClusterOptions { MaxBlockTransactions = 1 });
        var node = await cluster.WaitForLeaderAsync(Helpers.Timeout);
        using var ownerKey = IdentityKey.Generate();
        using var otherKey = IdentityKey.Generate();
        using var doctorKey = IdentityKey.Generate();
        var admin = new TransactionSigner(cluster.Admin, cluster.Genesis.NetworkId);
        var owner = new TransactionSigner(ownerKey, cluster.Genesis.NetworkId);
        var other = new TransactionSigner(otherKey, cluster.Genesis.NetworkId);
        await Helpers.CommitAsync(node, admin.Sign(RegisterPayload.For(ownerKey.Public, Role.Patient, "owner")));
        await Helpers.CommitAsync(node, admin.Sign(RegisterPayload.For(otherKey.Public, Role.Patient, "other")));
        await Helpers.CommitAsync(node, admin.Sign(RegisterPayload.For(doctorKey.Public, Role.Doctor, "doctor")));

        var before = owner.Sign(Helpers.Iot(0, 0));
        var grant = owner.Sign(Helpers.Keys(1, doctorKey));
        var granted = owner.Sign(Helpers.Iot(1, 1));
        var stranger = other.Sign(Helpers.Iot(0, 0));
        var revoke = owner.Sign(Helpers.Keys(2));
        var after = owner.Sign(Helpers.Iot(2, 2));
        var heights = new Dictionary<string, ulong>();
        foreach (var tx in new[] { before, grant, granted, stranger, revoke, after })
        {
            heights[tx.IdHex] = (await Helpers.CommitAsync(node, tx)).Height;
        }

        using var doctor = new LedgerClient(node.HttpUrl, cluster.Genesis, doctorKey);
        var tip = node.BlockCount(ChainId.Userchain);
        var fromStart = await ReadAsync(doctor, 0, tip);

        Assert.Equal(Enumerable.Range(0, (int)tip).Select(h => (ulong)h), fromStart.Select(b => b.Header.Height));
        Assert.Equal([grant.IdHex, granted.IdHex, revoke.IdHex], fromStart.SelectMany(b => b.Transactions).Select(t => t.Transaction.IdHex).Where(id => heights.ContainsKey(id)));
        Assert.All(fromStart.SelectMany(b => b.Transactions), t => Assert.True(t.VerifyInclusion()));

        // Resumed after the grant: the node knows from the patient's key history that it grants the doctor.
        var resumed = await ReadAsync(doctor, heights[grant.IdHex] + 1, tip);
        Assert.Equal([granted.IdHex, revoke.IdHex], resumed.SelectMany(b => b.Transactions).Select(t => t.Transaction.IdHex).Where(id => heights.ContainsKey(id)));

        // The other patient's own feed: its registration and its batch, none of the owner's.
        using var otherClient = new LedgerClient(node.HttpUrl, cluster.Genesis, otherKey);
        var own = (await ReadAsync(otherClient, 0, tip)).SelectMany(b => b.Transactions).Select(t => t.Transaction).ToList();
        Assert.Contains(own, t => t.IdHex == stranger.IdHex);
        Assert.DoesNotContain(own, t => t.Body.Signer == ownerKey.Id);
    }

    private static async Task<List<FeedBlock>> ReadAsync(LedgerClient client, ulong from, ulong to)
    {
        using var cts = new CancellationTokenSource(Helpers.Timeout);
        var blocks = new List<FeedBlock>();
        if (from >= to)
        {
            return blocks;
        }

        await foreach (var block in client.FollowAsync(ChainId.Userchain, from, cts.Token))
        {
            blocks.Add(block);
            if (block.Header.Height + 1 == to)
            {
                break;
            }
        }

        return blocks;
    }
}
