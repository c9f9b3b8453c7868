using System.Numerics;
using HealthBlock.Paillier;
using static HealthBlock.Paillier.Tests.PaillierJs;

namespace HealthBlock.Paillier.Tests;

/// <summary>HealthBlock.Paillier against paillier-bigint 3.4.3, an independent implementation, in both directions.</summary>
public sealed class InteropTests
{
    private static readonly BigInteger[] Plaintexts = [0, 1, 42, BigInteger.Pow(2, 64) + 7, BigInteger.Pow(10, 300)];

    private static PaillierPrivateKey Key => TestKeys.Key2048;

    private static object PublicJson(PaillierPublicKey key) => new { n = Text(key.N) };

    [PaillierJsFact]
    public void What_we_encrypt_paillier_bigint_decrypts_with_our_primes_or_with_lambda_and_mu()
    {
        var ciphertexts = Plaintexts.Select(m => Text(Key.PublicKey.Encrypt(m).Value)).ToArray();
        var n = Key.PublicKey.N;
        var lambda = (Key.P - 1) * (Key.Q - 1);
        var mu = BigInteger.ModPow(lambda, (Key.P - 1) * (Key.Q - 1) - 1, n);
        Assert.Equal(BigInteger.One, lambda * mu % n);

        var byPrimes = Run(new { op = "decrypt", privateKey = new { n = Text(n), p = Text(Key.P), q = Text(Key.Q) }, ciphertexts });
        var byLambda = Run(new { op = "decrypt", privateKey = new { n = Text(n), lambda = Text(lambda), mu = Text(mu) }, ciphertexts });
        Assert.Equal(Plaintexts, Ints(byPrimes["plaintexts"]));
        Assert.Equal(Plaintexts, Ints(byLambda["plaintexts"]));
    }

    [PaillierJsFact]
    public void What_paillier_bigint_encrypts_under_our_public_key_we_decrypt()
    {
        var answer = Run(new { op = "encrypt", publicKey = PublicJson(Key.PublicKey), plaintexts = Plaintexts.Select(Text).ToArray() });
        var decrypted = Ints(answer["ciphertexts"]).Select(c => Key.Decrypt(Key.PublicKey.ToCiphertext(c)));
        Assert.Equal(Plaintexts, decrypted);
    }

    [PaillierJsFact]
    public void A_key_paillier_bigint_generates_imports_here_and_works_both_ways()
    {
        var js = Run(new { op = "keygen", bits = 2048, simpleVariant = true });
        var key = PaillierPrivateKey.FromPrimes(Int(js["p"]), Int(js["q"]));
        Assert.Equal(Int(js["n"]), key.PublicKey.N);
        Assert.Equal(Int(js["g"]), key.PublicKey.G);

        var theirs = Run(new { op = "encrypt", publicKey = new { n = js["n"]!.GetValue<string>() }, plaintexts = Plaintexts.Select(Text).ToArray() });
        Assert.Equal(Plaintexts, Ints(theirs["ciphertexts"]).Select(c => key.Decrypt(key.PublicKey.ToCiphertext(c))));

        var ours = Plaintexts.Select(m => Text(key.PublicKey.Encrypt(m).Value)).ToArray();
        var privateKey = new { n = js["n"]!.GetValue<string>(), lambda = js["lambda"]!.GetValue<string>(), mu = js["mu"]!.GetValue<string>() };
        Assert.Equal(Plaintexts, Ints(Run(new { op = "decrypt", privateKey, ciphertexts = ours })["plaintexts"]));
    }

    [PaillierJsFact]
    public void Packed_rows_encrypted_on_both_sides_sum_to_the_same_ciphertext_and_decrypt_to_the_slot_sums_in_both()
    {
        var layout = VitalSignsLayout.Create(modulusBits: 2048);
        long[][] rows =
        [
            [4_200, 3_600_000, 180, 21_600, 14_400, 720, 2_664_000, 0, 12, 0, 0, 3, 0, 0, 3_600, 1],
            [1_800, 1_500_000, 90, 11_700, 7_200, 360, 1_332_000, 4, 0, 1, 1, 0, 0, 0, 1_800, 1],
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            [18_000, 3_606_000, 360, 108_000, 72_000, 720, 3_240_000, 3_600, 3_600, 3_600, 3_600, 360, 720, 720, 3_600, 1],
        ];
        var plaintexts = rows.Select(r => layout.Encode(r)).ToArray();

        // Rows 0 and 1 are encrypted here, rows 2 and 3 by paillier-bigint, all under our key.
        var ours = plaintexts[..2].Select(m => Key.PublicKey.Encrypt(m)).ToList();
        var theirs = Ints(Run(new { op = "encrypt", publicKey = PublicJson(Key.PublicKey), plaintexts = plaintexts[2..].Select(Text).ToArray() })["ciphertexts"])
            .Select(Key.PublicKey.ToCiphertext).ToList();
        var all = ours.Concat(theirs).ToList();

        var sumHere = new CiphertextSum(Key.PublicKey);
        all.ForEach(sumHere.Add);
        var sumThere = Int(Run(new { op = "add", publicKey = PublicJson(Key.PublicKey), ciphertexts = all.Select(c => Text(c.Value)).ToArray() })["ciphertext"]);
        Assert.Equal(sumHere.ToCiphertext().Value, sumThere);

        var expected = Enumerable.Range(0, layout.Slots.Count).Select(i => rows.Sum(r => r[i])).ToArray();
        Assert.Equal(expected, layout.Decode(Key.Decrypt(sumHere.ToCiphertext()), sumHere.Count));
        Assert.Equal(rows.Length, expected[^1]);
        var decryptedThere = Ints(Run(new
        {
            op = "decrypt",
            privateKey = new { n = Text(Key.PublicKey.N), p = Text(Key.P), q = Text(Key.Q) },
            ciphertexts = new[] { Text(sumThere) },
        })["plaintexts"]).Single();
        Assert.Equal(expected, layout.Decode(decryptedThere, rows.Length));
    }

    [PaillierJsFact]
    public void Scalar_multiples_agree_bit_for_bit()
    {
        var c = Key.PublicKey.Encrypt(12345);
        var theirs = Int(Run(new { op = "multiply", publicKey = PublicJson(Key.PublicKey), ciphertext = Text(c.Value), scalar = "1000003" })["ciphertext"]);
        Assert.Equal(Key.PublicKey.Multiply(c, 1_000_003).Value, theirs);
        Assert.Equal(new BigInteger(12345L * 1_000_003), Key.Decrypt(Key.PublicKey.ToCiphertext(theirs)));
    }
}
