using System.Security.Authentication;
using HealthBlock.Devnet;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting.Tests;

/// <summary>The ledger API over HTTPS with certificates on the node keys, pinned to the genesis by clients.</summary>
[Collection("ledger")]
public sealed class LedgerTlsTests
{
    [Fact]
    public async Task The_node_serves_https_by_default_and_a_client_learns_and_pins_its_genesis()
    {
        await using var cluster = await LocalCluster.StartAsync(1);
        var node = await cluster.WaitForLeaderAsync(Helpers.Timeout);
        Assert.Equal("https", node.HttpUrl.Scheme);

        var learnt = await LedgerTls.DiscoverAsync(node.HttpUrl, cluster.Genesis.NetworkId);
        Assert.Equal(cluster.Genesis.Hash, learnt.Hash);
        using var trusting = new LedgerTrustHandler();
        using var client = new LedgerClient(new HttpClient(trusting) { BaseAddress = node.HttpUrl }, caller: cluster.Admin);
        Assert.Equal(node.NodeId.ToString(), (await client.GetStatusAsync()).NodeId);
        Assert.Equal(cluster.Genesis.Hash, trusting.Genesis!.Hash);
    }

    [Fact]
    public async Task A_client_of_another_network_refuses_the_node_at_the_handshake_or_by_its_genesis()
    {
        await using var cluster = await LocalCluster.StartAsync(1);
        await using var other = await LocalCluster.StartAsync(1);
        var node = await cluster.WaitForLeaderAsync(Helpers.Timeout);

        // Pinned to the other network's nodes: this node's certificate key is not one of them.
        using var pinnedElsewhere = new LedgerClient(node.HttpUrl, other.Genesis);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => pinnedElsewhere.GetStatusAsync());
        Assert.Contains(Causes(refused), e => e is AuthenticationException);

        // Expecting the other network: the genesis this node serves is refused by its hash.
        var wrong = await Assert.ThrowsAsync<LedgerRejectedException>(() => LedgerTls.DiscoverAsync(node.HttpUrl, other.Genesis.NetworkId));
        Assert.Equal(RejectReason.WrongNetwork, wrong.Reason);
        using var expectingOther = new LedgerClient(new HttpClient(new LedgerTrustHandler(other.Genesis.NetworkId)) { BaseAddress = node.HttpUrl }, ownsClient: true);
        await Assert.ThrowsAsync<LedgerRejectedException>(() => expectingOther.GetStatusAsync());
    }

    private static IEnumerable<Exception> Causes(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
