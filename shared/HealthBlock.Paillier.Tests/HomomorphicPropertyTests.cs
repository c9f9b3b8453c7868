using System.Numerics;
using CsCheck;
using HealthBlock.Paillier;

namespace HealthBlock.Paillier.Tests;

/// <summary>The scheme's defining properties over a 2048-bit key. Encryptions draw rⁿ from a CRT-filled pool to keep the run short.</summary>
public sealed class HomomorphicPropertyTests : IDisposable
{
    private readonly PaillierPrivateKey _key = TestKeys.Key2048;
    private readonly NthResiduePool _pool = new(TestKeys.Key2048, capacity: 8);

    private PaillierPublicKey Public => _key.PublicKey;

    private BigInteger N => Public.N;

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void Decryption_inverts_public_key_encryption()
    {
        Generators.Below(N).Sample(m => Assert.Equal(m, _key.Decrypt(Public.Encrypt(m))), iter: 6);
    }

    [Fact]
    public void The_product_of_two_ciphertexts_decrypts_to_the_sum_of_their_plaintexts_mod_n()
    {
        Gen.Select(Generators.Below(N), Generators.Below(N)).Sample((a, b) =>
        {
            var sum = Public.Add(Public.Encrypt(a, _pool), Public.Encrypt(b, _pool));
            Assert.Equal((a + b) % N, _key.Decrypt(sum));
        }, iter: 12);
    }

    [Fact]
    public void A_ciphertext_raised_to_k_decrypts_to_k_times_its_plaintext_mod_n()
    {
        var scalars = Gen.OneOf(Gen.Int[0, 1000].Select(k => new BigInteger(k)), Generators.Below(N), Generators.Below(N * N));
        Gen.Select(Generators.Below(N), scalars).Sample((a, k) =>
        {
            var product = Public.Multiply(Public.Encrypt(a, _pool), k);
            Assert.Equal(a * k % N, _key.Decrypt(product));
        }, iter: 12);
    }

    [Fact]
    public void Crt_decryption_agrees_with_textbook_decryption_on_arbitrary_valid_ciphertexts()
    {
        // Every unit of Z_{n²} is a ciphertext of something; both decryptions must name the same plaintext.
        Generators.Below(Public.NSquared).Where(c => !c.IsZero && BigInteger.GreatestCommonDivisor(c, N).IsOne).Sample(value =>
        {
            var c = Public.ToCiphertext(value);
            Assert.Equal(_key.DecryptWithoutCrt(c), _key.Decrypt(c));
        }, iter: 8);
    }

    [Fact]
    public void Encryption_is_randomised_and_rerandomisation_keeps_the_plaintext()
    {
        var first = Public.Encrypt(1234, _pool);
        var second = Public.Encrypt(1234, _pool);
        Assert.NotEqual(first.Value, second.Value);
        var fresh = Public.Rerandomize(first);
        Assert.NotEqual(first.Value, fresh.Value);
        Assert.Equal(1234, _key.Decrypt(fresh));
    }

    [Fact]
    public void The_private_key_holders_crt_nth_residues_are_encryptions_of_zero()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(BigInteger.Zero, _key.Decrypt(Public.ToCiphertext(_key.RandomNthResidue())));
        }
    }

    [Fact]
    public void Multiplying_by_zero_gives_the_trivial_encryption_of_zero()
    {
        var zero = Public.Multiply(Public.Encrypt(99, _pool), BigInteger.Zero);
        Assert.Equal(BigInteger.One, zero.Value);
        Assert.Equal(BigInteger.Zero, _key.Decrypt(zero));
    }

    [Fact]
    public void Plaintexts_outside_zero_to_n_and_negative_scalars_are_refused()
    {
        Assert.Equal(PaillierError.PlaintextOutOfRange, Assert.Throws<PaillierException>(() => Public.Encrypt(-1)).Error);
        Assert.Equal(PaillierError.PlaintextOutOfRange, Assert.Throws<PaillierException>(() => Public.Encrypt(N)).Error);
        Assert.Equal(PaillierError.PlaintextOutOfRange, Assert.Throws<PaillierException>(() => Public.Encrypt(N + 1, _pool)).Error);
        var c = Public.Encrypt(5, _pool);
        Assert.Equal(PaillierError.PlaintextOutOfRange, Assert.Throws<PaillierException>(() => Public.Multiply(c, -2)).Error);
    }

    [Fact]
    public void The_largest_plaintext_survives_a_round_trip_and_wraps_mod_n_when_one_is_added()
    {
        var top = Public.Encrypt(N - 1, _pool);
        Assert.Equal(N - 1, _key.Decrypt(top));
        Assert.Equal(BigInteger.Zero, _key.Decrypt(Public.Add(top, Public.Encrypt(1, _pool))));
    }
}
