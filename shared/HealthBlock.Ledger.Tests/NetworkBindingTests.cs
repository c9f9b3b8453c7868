using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger.Tests;

/// <summary>Transactions and blocks name their network (the genesis hash): what is signed for one network is refused by another.</summary>
public sealed class NetworkBindingTests : IDisposable
{
    private readonly List<IDisposable> _keys = [];

    public void Dispose() => _keys.ForEach(k => k.Dispose());

    [Fact]
    public async Task A_transaction_committed_on_one_network_is_refused_by_another_with_its_own_reason()
    {
        var (a, adminA) = Network("clinic-a");
        var (b, adminB) = Network("clinic-b");
        var doctor = Keep(IdentityKey.Generate());
        var registration = new TransactionSigner(adminA, a.Genesis.NetworkId).Sign(RegisterPayload.For(doctor.Public, Role.Doctor, "Dr. A"));

        Assert.True((await a.SubmitAsync(registration)).Accepted);
        var replayed = await b.SubmitAsync(registration);

        Assert.False(replayed.Accepted);
        Assert.Equal(RejectReason.WrongNetwork, replayed.Reason);
        Assert.Contains(a.Genesis.NetworkId.Short, replayed.Message, StringComparison.Ordinal);
        Assert.Null(await b.GetIdentityAsync(doctor.Id));

        // The same registration signed for network B by B's admin is fine there.
        var own = new TransactionSigner(adminB, b.Genesis.NetworkId).Sign(RegisterPayload.For(doctor.Public, Role.Doctor, "Dr. A"));
        Assert.True((await b.SubmitAsync(own)).Accepted);
    }

    [Fact]
    public void Even_the_same_genesis_admin_key_signing_for_another_network_is_refused()
    {
        using var w = new World();
        var elsewhere = NetworkId.FromGenesisHash(System.Security.Cryptography.SHA256.HashData("another network"u8));
        var tx = new TransactionSigner(w.Admin, elsewhere).Sign(new IssuePayload(w.Admin.Id, 1));

        Assert.Equal(RejectReason.WrongNetwork, w.State.Validate(tx)?.Reason);
    }

    [Fact]
    public void A_block_naming_another_network_is_refused_before_its_transactions_are_read()
    {
        using var w = new World();
        var (patient, signer) = w.Patient(balance: 0);
        var tx = signer.Sign(RegisterPayload.For(Keep(IdentityKey.Generate()).Public, Role.Device, "device"));
        var tip = w.State.Tip(ChainId.Userchain);
        var elsewhere = NetworkId.FromGenesisHash(System.Security.Cryptography.SHA256.HashData("another network"u8));

        var block = Block.Create(elsewhere, ChainId.Userchain, tip.BlockCount, tip.LastHash, w.State.LastBlockTimeMs + 1, w.Node, [tx]);

        Assert.Equal(RejectReason.BlockWrongNetwork, w.State.TryApplyBlock(block)?.Reason);
        Assert.NotNull(patient);
    }

    private (InMemoryLedger Ledger, IdentityKey Admin) Network(string name)
    {
        var (genesis, admin, nodes) = GenesisKeys.Generate(1, network: name);
        _keys.Add(admin);
        _keys.Add(nodes[0]);
        var ledger = new InMemoryLedger(genesis, nodes[0]);
        _keys.Add(ledger);
        return (ledger, admin);
    }

    private IdentityKey Keep(IdentityKey key)
    {
        _keys.Add(key);
        return key;
    }
}
