using System.Numerics;
using CsCheck;
using HealthBlock.Paillier;

namespace HealthBlock.Paillier.Tests;

public sealed class CiphertextSumTests
{
    [Fact]
    public void The_montgomery_running_sum_equals_the_product_of_the_ciphertexts_mod_n_squared()
    {
        var key = TestKeys.Small;
        var n2 = key.PublicKey.NSquared;
        var units = Generators.Below(n2).Where(c => !c.IsZero && BigInteger.GreatestCommonDivisor(c, key.PublicKey.N).IsOne);
        units.Array[0, 300].Sample(values =>
        {
            var sum = new CiphertextSum(key.PublicKey);
            var expected = BigInteger.One;
            foreach (var value in values)
            {
                sum.Add(key.PublicKey.ToCiphertext(value));
                expected = expected * value % n2;
            }

            Assert.Equal(values.Length, sum.Count);
            Assert.Equal(expected, sum.ToCiphertext().Value);
        }, iter: 100);
    }

    [Fact]
    public void Sums_of_many_2048_bit_encryptions_decrypt_to_the_sum_of_the_plaintexts()
    {
        var key = TestKeys.Key2048;
        using var pool = new NthResiduePool(key, capacity: 1);
        var sum = new CiphertextSum(key.PublicKey);
        var total = BigInteger.Zero;
        var unit = key.PublicKey.Encrypt(1, pool);
        for (var i = 0; i < 2000; i++)
        {
            // Ciphertexts of 0…1999 by adding known encryptions: only 1 fresh encryption, 2000 additions.
            sum.Add(key.PublicKey.Multiply(unit, i));
            total += i;
        }

        Assert.Equal(total, key.Decrypt(sum.ToCiphertext()));
    }

    [Fact]
    public void An_empty_sum_is_the_trivial_encryption_of_zero()
    {
        var key = TestKeys.Key2048;
        var empty = new CiphertextSum(key.PublicKey).ToCiphertext();
        Assert.Equal(BigInteger.One, empty.Value);
        Assert.Equal(BigInteger.Zero, key.Decrypt(empty));
    }
}
