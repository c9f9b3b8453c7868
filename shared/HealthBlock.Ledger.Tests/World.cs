using HealthBlock.Crypto;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger.Tests;

/// <summary>A small ledger world for tests: a genesis (admin, node), helpers to make people and transactions.</summary>
internal sealed class World : IDisposable
{
    private readonly List<IdentityKey> _keys = [];
    private long _time = 1_000;

    public World(ulong fee = 10)
    {
        Admin = Keep(IdentityKey.Generate());
        Node = Keep(IdentityKey.Generate());
        Genesis = new Genesis("test", fee, [new(Role.Admin, "admin", Admin.Public), new(Role.AccountingNode, "node", Node.Public)], []);
        State = LedgerState.FromGenesis(Genesis);
        AdminSigner = new TransactionSigner(Admin, Network);
    }

    public IdentityKey Admin { get; }

    public IdentityKey Node { get; }

    public Genesis Genesis { get; }

    /// <summary>This world's network (its genesis hash): every transaction and block of the world names it.</summary>
    public NetworkId Network => Genesis.NetworkId;

    public LedgerState State { get; }

    public TransactionSigner AdminSigner { get; }

    /// <summary>Lets <paramref name="ms"/> milliseconds pass before the next block.</summary>
    public void Pass(long ms) => _time += ms;

    public IdentityKey Keep(IdentityKey k)
    {
        _keys.Add(k);
        return k;
    }

    /// <summary>Applies transactions as one block of their chain; throws on rejection.</summary>
    public Block Commit(params Transaction[] txs) => Commit(State, txs);

    public Block Commit(LedgerState state, params Transaction[] txs)
    {
        var block = Seal(state, txs);
        var r = state.TryApplyBlock(block);
        Assert.True(r is null, r?.ToString());
        return block;
    }

    public Block Seal(LedgerState state, IReadOnlyList<Transaction> txs, ChainId? chain = null)
    {
        var c = chain ?? (txs.Count > 0 ? txs[0].Body.Chain : ChainId.Userchain);
        var tip = state.Tip(c);
        return Block.Create(Network, c, tip.BlockCount, tip.LastHash, Math.Max(++_time, state.LastBlockTimeMs + 1), Node, txs);
    }

    public (IdentityKey Key, TransactionSigner Signer) Patient(ulong balance = 0)
    {
        var k = Keep(IdentityKey.Generate());
        var s = new TransactionSigner(k, Network);
        Commit(AdminSigner.Sign(RegisterPayload.For(k.Public, Role.Patient, "patient")));
        if (balance > 0)
        {
            Commit(AdminSigner.Sign(new IssuePayload(k.Id, balance)));
        }

        return (k, s);
    }

    public (IdentityKey Key, TransactionSigner Signer) Doctor()
    {
        var k = Keep(IdentityKey.Generate());
        Commit(AdminSigner.Sign(RegisterPayload.For(k.Public, Role.Doctor, "doctor")));
        return (k, new TransactionSigner(k, Network));
    }

    public static KeyPayload Keys(uint epoch, params IdentityKey[] doctors) =>
        new(epoch, doctors.Select(d => new KeyEnvelope(d.Id, new byte[Envelope.Overhead + 32], new byte[Envelope.Overhead + 32])).OrderBy(e => e.Doctor).ToList());

    public static IotPayload Iot(uint epoch, ulong batch) =>
        new(epoch, batch, Cid.Compute(BitConverter.GetBytes(batch)), 1000, 2000, [SensorKind.Ecg], 10);

    public static IotPayload LiveIot(uint epoch, ulong batch, ulong first, ulong last) =>
        Iot(epoch, batch) with { Live = new LiveAnchor(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(first)), first, last, (uint)(last - first + 1)) };

    public static DiagnosisPayload Diagnosis(IdentityId patient, uint epoch, params Transaction[] covers) =>
        new(patient, epoch, Cid.Compute([1, 2, 3]), covers.Select(c => c.IdBytes).OrderBy(c => c, ByteArrayComparer.Instance).ToList(), 1000, 2000, null);

    public void Dispose()
    {
        foreach (var k in _keys)
        {
            k.Dispose();
        }
    }
}
