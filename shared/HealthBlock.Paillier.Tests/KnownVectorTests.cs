using System.Numerics;
using HealthBlock.Paillier;

namespace HealthBlock.Paillier.Tests;

public sealed class KnownVectorTests
{
    private static readonly Lazy<RfcPrimeVectors> Rfc = new(() => Vectors.Load<RfcPrimeVectors>("rfc-prime-vectors.json"));
    private static readonly Lazy<PaillierPrivateKey> RfcKey = new(() => PaillierPrivateKey.FromPrimes(Vectors.Int(Rfc.Value.P), Vectors.Int(Rfc.Value.Q)));
    private static readonly Lazy<PaillierBigintVectors> Js = new(() => Vectors.Load<PaillierBigintVectors>("paillier-bigint-vectors.json"));
    private static readonly Lazy<PaillierPrivateKey> JsKey = new(() => PaillierPrivateKey.FromPrimes(Vectors.Int(Js.Value.Key.P), Vectors.Int(Js.Value.Key.Q)));

    [Fact]
    public void The_rfc_primes_give_the_published_modulus_and_pass_every_key_check()
    {
        Assert.Equal(Vectors.Int(Rfc.Value.N), RfcKey.Value.PublicKey.N);
        Assert.Equal(2048, RfcKey.Value.PublicKey.ModulusBits);
    }

    [Fact]
    public void Encryption_under_the_rfc_primes_with_the_given_r_matches_the_independently_computed_ciphertexts()
    {
        var key = RfcKey.Value;
        foreach (var vector in Rfc.Value.Cases)
        {
            var c = key.PublicKey.EncryptWithRandomness(Vectors.Int(vector.M), Vectors.Int(vector.R));
            Assert.Equal(Vectors.Int(vector.C), c.Value);
        }
    }

    [Fact]
    public void Crt_and_textbook_decryption_recover_every_rfc_prime_vector_plaintext()
    {
        var key = RfcKey.Value;
        foreach (var vector in Rfc.Value.Cases)
        {
            var c = key.PublicKey.ToCiphertext(Vectors.Int(vector.C));
            Assert.Equal(Vectors.Int(vector.M), key.Decrypt(c));
            Assert.Equal(Vectors.Int(vector.M), key.DecryptWithoutCrt(c));
        }
    }

    [Fact]
    public void A_paillier_bigint_key_maps_onto_ours_with_lambda_phi_and_mu_its_inverse()
    {
        var js = Js.Value.Key;
        var key = JsKey.Value;
        var n = key.PublicKey.N;
        Assert.Equal(Vectors.Int(js.N), n);
        Assert.Equal(key.PublicKey.G, Vectors.Int(js.G));

        // paillier-bigint's simple variant: λ = (p − 1)(q − 1) = φ(n), μ = λ⁻¹ mod n; its p has one bit more than q.
        var lambda = (key.P - 1) * (key.Q - 1);
        Assert.Equal(Vectors.Int(js.Lambda), lambda);
        Assert.Equal(BigInteger.One, Vectors.Int(js.Mu) * lambda % n);
        Assert.Equal(key.Q.GetBitLength() + 1, key.P.GetBitLength());
    }

    [Fact]
    public void Encryption_with_paillier_bigints_r_reproduces_its_ciphertexts_and_decryption_its_plaintexts()
    {
        var key = JsKey.Value;
        foreach (var vector in Js.Value.Cases)
        {
            Assert.Equal(Vectors.Int(vector.C), key.PublicKey.EncryptWithRandomness(Vectors.Int(vector.M), Vectors.Int(vector.R)).Value);
            Assert.Equal(Vectors.Int(vector.M), key.Decrypt(key.PublicKey.ToCiphertext(Vectors.Int(vector.C))));
        }
    }

    [Fact]
    public void Paillier_bigints_homomorphic_sum_and_multiple_equal_ours_bit_for_bit()
    {
        var key = JsKey.Value;
        var vectors = Js.Value;
        var ciphertexts = vectors.Cases.Select(v => key.PublicKey.ToCiphertext(Vectors.Int(v.C))).ToList();
        var sum = ciphertexts.Skip(1).Aggregate(ciphertexts[0], key.PublicKey.Add);
        Assert.Equal(Vectors.Int(vectors.Sum.C), sum.Value);
        Assert.Equal(Vectors.Int(vectors.Sum.M), key.Decrypt(sum));

        var multiple = key.PublicKey.Multiply(ciphertexts[vectors.Multiple.Of_Case], Vectors.Int(vectors.Multiple.Scalar));
        Assert.Equal(Vectors.Int(vectors.Multiple.C), multiple.Value);
        Assert.Equal(Vectors.Int(vectors.Multiple.M), key.Decrypt(multiple));
    }
}
