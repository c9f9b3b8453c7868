using System.Diagnostics;
using System.Numerics;
using HealthBlock.Paillier;

namespace HealthBlock.Paillier.Tests;

public sealed class KeyGenerationTests
{
    [Fact]
    public void A_generated_2048_bit_key_has_two_distinct_primes_of_equal_size_and_the_paillier_gcd_condition()
    {
        var key = TestKeys.Key2048;
        Assert.Equal(2048, key.PublicKey.ModulusBits);
        Assert.Equal(key.PublicKey.N, key.P * key.Q);
        Assert.NotEqual(key.P, key.Q);
        Assert.Equal(1024, key.P.GetBitLength());
        Assert.Equal(1024, key.Q.GetBitLength());
        Assert.True(BigInteger.GreatestCommonDivisor(key.PublicKey.N, (key.P - 1) * (key.Q - 1)).IsOne);
        Assert.True(Primality.IsProbablePrime(key.P, Primality.RoundsForGivenNumber));
        Assert.True(Primality.IsProbablePrime(key.Q, Primality.RoundsForGivenNumber));
        Assert.Equal(key.PublicKey.N + 1, key.PublicKey.G);
    }

    [Fact]
    public void The_default_key_size_is_3072_bits_and_its_key_works()
    {
        var clock = Stopwatch.StartNew();
        var key = PaillierPrivateKey.Generate();
        Assert.Equal(PaillierKeySize.Default, key.PublicKey.ModulusBits);
        Assert.Equal(1536, key.P.GetBitLength());
        Assert.Equal(1536, key.Q.GetBitLength());
        var m = BigInteger.Parse("123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(m, key.Decrypt(key.PublicKey.Encrypt(m)));
        Console.WriteLine($"3072-bit key generation + one encryption: {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(2046)]
    [InlineData(512)]
    public void Keys_below_2048_bits_are_refused_outside_the_test_only_path(int bits)
    {
        var e = Assert.Throws<PaillierException>(() => PaillierPrivateKey.Generate(bits));
        Assert.Equal(PaillierError.WeakKey, e.Error);
    }

    [Fact]
    public void A_public_key_below_2048_bits_or_with_an_even_modulus_is_refused()
    {
        Assert.Equal(PaillierError.WeakKey, Assert.Throws<PaillierException>(() => new PaillierPublicKey(TestKeys.Small.PublicKey.N)).Error);
        Assert.Equal(PaillierError.WeakKey, Assert.Throws<PaillierException>(() => new PaillierPublicKey(TestKeys.Key2048.PublicKey.N + 1)).Error);
        Assert.Equal(PaillierError.WeakKey, Assert.Throws<PaillierException>(() => new PaillierPublicKey(BigInteger.Zero)).Error);
    }

    [Fact]
    public void An_odd_modulus_size_is_refused_because_p_and_q_could_not_have_the_same_size()
    {
        Assert.Equal(PaillierError.WeakKey, Assert.Throws<PaillierException>(() => PaillierPrivateKey.Generate(2049)).Error);
    }

    [Fact]
    public void Importing_equal_primes_is_refused()
    {
        var p = TestKeys.Key2048.P;
        var e = Assert.Throws<PaillierException>(() => PaillierPrivateKey.FromPrimes(p, p));
        Assert.Contains("differ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Importing_a_composite_factor_without_small_divisors_is_refused_by_miller_rabin()
    {
        // A 1024-bit product of two 512-bit primes passes trial division; only Miller–Rabin can catch it.
        var halves = PaillierPrivateKey.Generate(1024, KeyPolicy.TestOnlySmallKeys);
        var composite = halves.PublicKey.N;
        Assert.Equal(1024, composite.GetBitLength());
        var e = Assert.Throws<PaillierException>(() => PaillierPrivateKey.FromPrimes(TestKeys.Key2048.P, composite));
        Assert.Equal(PaillierError.WeakKey, e.Error);
        Assert.Contains("composite", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Importing_primes_closer_than_two_to_the_nlen_over_2_minus_100_is_refused()
    {
        var p = TestKeys.Key2048.P;
        var q = p + 2;
        while (!Primality.IsProbablePrime(q, 8))
        {
            q += 2;
        }

        var e = Assert.Throws<PaillierException>(() => PaillierPrivateKey.FromPrimes(p, q));
        Assert.Contains("Fermat", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Importing_primes_whose_sizes_differ_by_more_than_one_bit_is_refused()
    {
        var e = Assert.Throws<PaillierException>(() => PaillierPrivateKey.FromPrimes(TestKeys.Key2048.P, TestKeys.Small.P));
        Assert.Contains("same size", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_prime_dividing_the_other_minus_one_breaks_the_gcd_condition_and_is_refused()
    {
        // 563 = 2·281 + 1, both prime: gcd(281·563, 280·562) = 281.
        const int p = 281, q = 563;
        Assert.Equal(0, (q - 1) % p);
        var e = Assert.Throws<PaillierException>(() => PaillierPrivateKey.FromPrimes(p, q, KeyPolicy.TestOnlySmallKeys));
        Assert.Contains("gcd", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_imported_key_equals_the_generated_one_and_decrypts_its_ciphertexts()
    {
        var key = TestKeys.Key2048;
        var imported = PaillierPrivateKey.FromPrimes(key.Q, key.P);
        Assert.Equal(key.PublicKey, imported.PublicKey);
        Assert.Equal(key.P, imported.P);
        Assert.Equal(77, imported.Decrypt(key.PublicKey.Encrypt(77)));
    }

    [Fact]
    public void Miller_rabin_separates_known_primes_from_carmichael_numbers_and_prime_products()
    {
        // 2^127 − 1 and 2^521 − 1 are Mersenne primes; 561 and 2465·… are Carmichael numbers (Fermat liars).
        Assert.True(Primality.IsProbablePrime((BigInteger.One << 127) - 1, 64));
        Assert.True(Primality.IsProbablePrime((BigInteger.One << 521) - 1, 64));
        Assert.False(Primality.IsProbablePrime(561, 64));
        Assert.False(Primality.IsProbablePrime(BigInteger.Parse("3825123056546413051", System.Globalization.CultureInfo.InvariantCulture), 64));
        Assert.False(Primality.IsProbablePrime(((BigInteger.One << 127) - 1) * ((BigInteger.One << 89) - 1), 64));
        Assert.False(Primality.IsProbablePrime((BigInteger.One << 128) + 1, 64));
    }
}
