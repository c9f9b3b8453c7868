using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting.Tests;

/// <summary>A genesis with one admin and one accounting node, and blocks of patients the admin registers, signed by the node.</summary>
internal sealed class NodePartsFixture : IDisposable
{
    private long _time = 1_000;

    public NodePartsFixture()
    {
        (Genesis, Admin, var nodes) = GenesisKeys.Generate(1);
        Node = nodes[0];
        State = LedgerState.FromGenesis(Genesis);
        AdminSigner = new TransactionSigner(Admin, Genesis.NetworkId);
    }

    /// <summary>Signs as the admin (nonces counted from 1: this fixture's state is the only one it signs for).</summary>
    public TransactionSigner AdminSigner { get; }

    public Genesis Genesis { get; }

    public IdentityKey Admin { get; }

    public IdentityKey Node { get; }

    public LedgerState State { get; }

    /// <summary>Seals and applies a Userchain block registering one new patient.</summary>
    public Block CommitRegistration()
    {
        using var key = IdentityKey.Generate();
        var tx = AdminSigner.Sign(RegisterPayload.For(key.Public, Role.Patient, "p"));
        var tip = State.Tip(ChainId.Userchain);
        var block = Block.Create(Genesis.NetworkId, ChainId.Userchain, tip.BlockCount, tip.LastHash, ++_time, Node, [tx]);
        Assert.Null(State.TryApplyBlock(block));
        return block;
    }

    public void Dispose()
    {
        Admin.Dispose();
        Node.Dispose();
    }
}
