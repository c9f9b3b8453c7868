using System.Numerics;
using HealthBlock.Paillier;

namespace HealthBlock.Paillier.Tests;

public sealed class NthResiduePoolTests
{
    [Fact]
    public void A_background_filled_pool_never_hands_out_the_same_nth_residue_twice()
    {
        var key = TestKeys.Small;
        using var pool = new NthResiduePool(key.PublicKey, capacity: 32);
        pool.StartBackgroundRefill();
        var seen = new HashSet<BigInteger>();

        // Two takers race the refill task; every value must be new and an n-th residue (an encryption of 0).
        var taken = new System.Collections.Concurrent.ConcurrentBag<BigInteger>();
        Parallel.For(0, 2, _ =>
        {
            for (var i = 0; i < 400; i++)
            {
                taken.Add(pool.Take());
            }
        });

        foreach (var value in taken)
        {
            Assert.True(seen.Add(value), "an rⁿ was handed out twice");
            Assert.Equal(BigInteger.Zero, key.Decrypt(key.PublicKey.ToCiphertext(value)));
        }

        Assert.Equal(800, seen.Count);
        Assert.Equal(800, pool.TakenFromStock + pool.ComputedOnDemand);
    }

    [Fact]
    public void Fill_tops_the_pool_up_to_capacity_and_each_take_removes_one_value()
    {
        using var pool = new NthResiduePool(TestKeys.Small, capacity: 10);
        Assert.Equal(0, pool.Available);
        Assert.Equal(10, pool.Fill());
        Assert.Equal(0, pool.Fill());
        var first = pool.Take();
        Assert.Equal(9, pool.Available);
        Assert.Equal(1, pool.Fill());
        var rest = Enumerable.Range(0, 10).Select(_ => pool.Take()).ToList();
        Assert.DoesNotContain(first, rest);
        Assert.Equal(10, rest.Distinct().Count());
        Assert.Equal(11, pool.TakenFromStock);
        Assert.Equal(0, pool.ComputedOnDemand);
    }

    [Fact]
    public void An_empty_pool_computes_on_demand_instead_of_reusing()
    {
        using var pool = new NthResiduePool(TestKeys.Small.PublicKey, capacity: 1);
        var values = Enumerable.Range(0, 20).Select(_ => pool.Take()).ToList();
        Assert.Equal(20, values.Distinct().Count());
        Assert.Equal(20, pool.ComputedOnDemand);
        Assert.Equal(0, pool.TakenFromStock);
    }

    [Fact]
    public void Encryptions_from_a_2048_bit_pool_decrypt_and_differ_for_equal_plaintexts()
    {
        var key = TestKeys.Key2048;
        using var pool = new NthResiduePool(key, capacity: 3);
        pool.Fill();
        var a = key.PublicKey.Encrypt(500, pool);
        var b = key.PublicKey.Encrypt(500, pool);
        Assert.NotEqual(a.Value, b.Value);
        Assert.Equal(500, key.Decrypt(a));
        Assert.Equal(500, key.Decrypt(b));
        Assert.Equal(1, pool.Available);
    }

    [Fact]
    public void A_pool_needs_room_for_at_least_one_value_and_refills_in_the_background_only_once()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NthResiduePool(TestKeys.Small, capacity: 0));
        using var pool = new NthResiduePool(TestKeys.Small, capacity: 2);
        pool.StartBackgroundRefill();
        Assert.Throws<InvalidOperationException>(pool.StartBackgroundRefill);
    }
}
