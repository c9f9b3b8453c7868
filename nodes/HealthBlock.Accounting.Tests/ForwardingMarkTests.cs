using HealthBlock.Crypto;
using HealthBlock.Ledger;

namespace HealthBlock.Accounting.Tests;

public sealed class ForwardingMarkTests
{
    private static readonly byte[] Body = [1, 2, 3, 4];

    [Fact]
    public void A_peer_nodes_mark_over_the_exact_body_verifies()
    {
        var (genesis, admin, nodes) = GenesisKeys.Generate(2);
        using var _ = admin;
        using var a = nodes[0];
        using var b = nodes[1];
        var state = LedgerState.FromGenesis(genesis);

        var mark = ForwardingMark.Create(a, Body);

        Assert.StartsWith(a.Id + " ", mark, StringComparison.Ordinal);
        Assert.True(ForwardingMark.IsFromPeer(mark, Body, b.Id, state.GetIdentity));
        Assert.False(ForwardingMark.IsFromPeer(mark, [1, 2, 3, 5], b.Id, state.GetIdentity));
        Assert.False(ForwardingMark.IsFromPeer(mark, Body, a.Id, state.GetIdentity));
    }

    [Fact]
    public void A_mark_by_anyone_but_a_registered_accounting_node_or_malformed_does_not_verify()
    {
        var (genesis, admin, nodes) = GenesisKeys.Generate(1);
        using var _ = admin;
        using var node = nodes[0];
        using var stranger = IdentityKey.Generate();
        var state = LedgerState.FromGenesis(genesis);

        Assert.False(ForwardingMark.IsFromPeer(ForwardingMark.Create(admin, Body), Body, node.Id, state.GetIdentity));
        Assert.False(ForwardingMark.IsFromPeer(ForwardingMark.Create(stranger, Body), Body, node.Id, state.GetIdentity));
        Assert.False(ForwardingMark.IsFromPeer("", Body, node.Id, state.GetIdentity));
        Assert.False(ForwardingMark.IsFromPeer($"{admin.Id} not-base64!", Body, node.Id, state.GetIdentity));
        Assert.False(ForwardingMark.IsFromPeer("nonsense", Body, node.Id, state.GetIdentity));
    }
}
