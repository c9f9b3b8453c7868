using System.Numerics;
using HealthBlock.Paillier;

namespace HealthBlock.Paillier.Tests;

public sealed class CiphertextValidationTests
{
    private static PaillierPrivateKey Key => TestKeys.Key2048;

    public static TheoryData<string> OutOfRange => new() { "zero", "n squared", "above n squared", "negative" };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Values_outside_zero_to_n_squared_are_refused(string which)
    {
        var n2 = Key.PublicKey.NSquared;
        var value = which switch
        {
            "zero" => BigInteger.Zero,
            "n squared" => n2,
            "above n squared" => n2 + 12345,
            _ => BigInteger.MinusOne,
        };
        var e = Assert.Throws<PaillierException>(() => Key.PublicKey.ToCiphertext(value));
        Assert.Equal(PaillierError.InvalidCiphertext, e.Error);
    }

    [Fact]
    public void Values_sharing_a_factor_with_n_are_refused()
    {
        foreach (var value in new[] { Key.P, Key.Q * 7, Key.PublicKey.N, Key.P * Key.P })
        {
            var e = Assert.Throws<PaillierException>(() => Key.PublicKey.ToCiphertext(value));
            Assert.Equal(PaillierError.InvalidCiphertext, e.Error);
            Assert.Contains("factor", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_ciphertext_under_another_key_is_refused_by_every_operation()
    {
        var mine = Key.PublicKey.Encrypt(1);
        var theirs = TestKeys.OtherKey2048.PublicKey.Encrypt(1);
        Assert.Equal(PaillierError.InvalidCiphertext, Assert.Throws<PaillierException>(() => Key.PublicKey.Add(mine, theirs)).Error);
        Assert.Equal(PaillierError.InvalidCiphertext, Assert.Throws<PaillierException>(() => Key.PublicKey.Multiply(theirs, 2)).Error);
        Assert.Equal(PaillierError.InvalidCiphertext, Assert.Throws<PaillierException>(() => Key.Decrypt(theirs)).Error);
        Assert.Equal(PaillierError.InvalidCiphertext, Assert.Throws<PaillierException>(() => new CiphertextSum(Key.PublicKey).Add(theirs)).Error);
        Assert.Equal(PaillierError.InvalidCiphertext, Assert.Throws<PaillierException>(() => Key.PublicKey.Rerandomize(theirs)).Error);
    }

    [Fact]
    public void A_pool_of_another_key_is_refused()
    {
        using var pool = new NthResiduePool(TestKeys.Small, capacity: 1);
        Assert.Throws<ArgumentException>(() => Key.PublicKey.Encrypt(1, pool));
    }
}
