using CsCheck;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger.Tests;

/// <summary>Same blocks, same state: replicas that apply the same blocks agree on the state hash.</summary>
public sealed class DeterminismTests
{
    /// <summary>A random history: operations picked by index over a fixed cast of patients and doctors.</summary>
    private static readonly Gen<(int Op, int Patient, int Doctor, uint Amount)[]> History =
        Gen.Select(Gen.Int[0, 6], Gen.Int[0, 2], Gen.Int[0, 1], Gen.UInt[1, 60]).Array[5, 40];

    [Fact]
    public void Replicas_applying_the_same_blocks_reach_the_same_state_hash()
    {
        History.Sample(
            ops =>
            {
                using var w = new World(fee: 10);
                var blocks = Play(w, ops);
                var replica = LedgerState.FromGenesis(w.Genesis);
                foreach (var b in blocks)
                {
                    var decoded = Block.Decode(b.Encode());
                    Assert.Null(replica.TryApplyBlock(decoded));
                }

                var hash = w.State.ComputeStateHash();
                Assert.Equal(hash, replica.ComputeStateHash());

                // A snapshot restores the same state.
                Assert.Equal(hash, LedgerState.FromSnapshot(w.Genesis, w.State.ToSnapshot()).ComputeStateHash());
            },
            iter: 40);
    }

    [Fact]
    public void Different_histories_give_different_state_hashes()
    {
        using var w = new World();
        var a = w.State.ComputeStateHash();
        var (p, _) = w.Patient(balance: 5);
        var b = w.State.ComputeStateHash();
        Assert.NotEqual(a, b);
        Assert.Equal(5UL, w.State.GetBalance(p.Id));
    }

    /// <summary>Plays random operations, committing only the valid ones (one block per operation), and returns the blocks.</summary>
    internal static List<Block> Play(World w, (int Op, int Patient, int Doctor, uint Amount)[] ops)
    {
        var blocks = new List<Block>();
        var patients = new List<(IdentityKey Key, TransactionSigner Signer)>();
        var doctors = new List<(IdentityKey Key, TransactionSigner Signer)>();
        var batches = new ulong[3];
        var iots = new List<Transaction>[3];
        for (var i = 0; i < 3; i++)
        {
            var k = w.Keep(IdentityKey.Generate());
            var s = new TransactionSigner(k, w.Network);
            patients.Add((k, s));
            iots[i] = [];
            blocks.Add(w.Commit(w.AdminSigner.Sign(RegisterPayload.For(k.Public, Role.Patient, $"p{i}"))));
        }

        for (var i = 0; i < 2; i++)
        {
            var k = w.Keep(IdentityKey.Generate());
            doctors.Add((k, new TransactionSigner(k, w.Network)));
            blocks.Add(w.Commit(w.AdminSigner.Sign(RegisterPayload.For(k.Public, Role.Doctor, $"d{i}"))));
        }

        foreach (var (op, pi, di, amount) in ops)
        {
            var (pk, ps) = patients[pi];
            var (dk, ds) = doctors[di];
            var epoch = w.State.GetPatientKeys(pk.Id)!.Epoch;
            Transaction tx = op switch
            {
                0 => w.AdminSigner.Sign(new IssuePayload(pk.Id, amount)),
                1 => ps.Sign(new PaymentPayload(dk.Id, amount)),
                2 => ps.Sign(World.Keys(epoch + 1, amount % 2 == 0 ? [dk] : [doctors[0].Key, doctors[1].Key])),
                3 => ps.Sign(World.Iot(epoch, batches[pi]++)),
                4 => ds.Sign(World.Diagnosis(pk.Id, epoch, iots[pi].TakeLast(2).ToArray())),
                5 => ps.Sign(World.Keys(epoch + 1)),
                _ => ds.Sign(World.Diagnosis(pk.Id, epoch)),
            };

            var block = w.Seal(w.State, [tx]);
            if (w.State.TryApplyBlock(block) is null)
            {
                blocks.Add(block);
                if (op == 3)
                {
                    iots[pi].Add(tx);
                }
            }
        }

        return blocks;
    }
}
