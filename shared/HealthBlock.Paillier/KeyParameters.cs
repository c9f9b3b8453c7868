using System.Numerics;

namespace HealthBlock.Paillier;

/// <summary>
/// The checks every key pair passes, whether generated here or imported: p and q probable primes, p ≠ q, of the
/// same size (an import may differ by one bit), |p − q| &gt; 2^(nlen/2 − 100) as FIPS 186-5 appendix A.1.1 requires
/// of IFC key pairs, n of the allowed size, and gcd(p·q, (p − 1)(q − 1)) = 1, the condition of Paillier's scheme.
/// </summary>
internal static class KeyParameters
{
    /// <summary>Generates p and q of <paramref name="modulusBits"/>/2 bits each, then runs the checks with the table B.1 rounds.</summary>
    public static (BigInteger P, BigInteger Q) GeneratePrimes(int modulusBits, KeyPolicy policy)
    {
        if (modulusBits % 2 != 0)
        {
            throw new PaillierException(PaillierError.WeakKey, "The modulus size must be even so p and q have the same size.");
        }

        CheckModulusSize(modulusBits, policy);
        var primeBits = modulusBits / 2;
        while (true)
        {
            var p = RandomPrime(primeBits);
            var q = RandomPrime(primeBits);
            if (Failure(p, q, policy, equalLengths: true, rounds: 0) is null)
            {
                return (p, q);
            }
        }
    }

    /// <summary>Runs every check on an imported pair; primality with <see cref="Primality.RoundsForGivenNumber"/> rounds.</summary>
    public static void CheckImported(BigInteger p, BigInteger q, KeyPolicy policy)
    {
        if (Failure(p, q, policy, equalLengths: false, rounds: Primality.RoundsForGivenNumber) is { } reason)
        {
            throw new PaillierException(PaillierError.WeakKey, reason);
        }
    }

    private static void CheckModulusSize(long modulusBits, KeyPolicy policy)
    {
        var minimum = policy == KeyPolicy.Production ? PaillierKeySize.Minimum : 16;
        if (modulusBits < minimum)
        {
            throw new PaillierException(PaillierError.WeakKey, $"A {modulusBits}-bit modulus is too small: at least {minimum} bits are required.");
        }
    }

    /// <summary>
    /// Why (p, q) is refused, or null. Generated primes (rounds = 0) were already tested while being drawn.
    /// Imported pairs may differ in length by one bit: paillier-bigint draws p with one bit more than q.
    /// </summary>
    private static string? Failure(BigInteger p, BigInteger q, KeyPolicy policy, bool equalLengths, int rounds)
    {
        if (p < 3 || q < 3)
        {
            return "p and q are odd primes.";
        }

        if (p == q)
        {
            return "p and q must differ.";
        }

        var lengthGap = Math.Abs(p.GetBitLength() - q.GetBitLength());
        if (lengthGap > (equalLengths ? 0 : 1))
        {
            return $"p and q must have the same size; they differ by {lengthGap} bits.";
        }

        var n = p * q;
        var modulusBits = n.GetBitLength();
        CheckModulusSize(modulusBits, policy);
        var minimumGapBits = (modulusBits / 2) - 100;
        if (minimumGapBits > 0 && BigInteger.Abs(p - q) <= BigInteger.One << (int)minimumGapBits)
        {
            return $"|p − q| must exceed 2^{minimumGapBits} (FIPS 186-5 A.1.1) or n is open to Fermat factoring.";
        }

        if (!BigInteger.GreatestCommonDivisor(n, (p - 1) * (q - 1)).IsOne)
        {
            return "gcd(p·q, (p − 1)(q − 1)) must be 1.";
        }

        if (rounds > 0 && !(Primality.IsProbablePrime(p, rounds) && Primality.IsProbablePrime(q, rounds)))
        {
            return "p and q must be prime; one of them is composite.";
        }

        return null;
    }

    /// <summary>
    /// A random probable prime of exactly <paramref name="bits"/> bits with its two top bits set (so p ≥ 1.5·2^(bits−1)
    /// &gt; √2·2^(bits−1) and p·q has exactly 2·bits bits), a fresh CSPRNG draw per candidate as in FIPS 186-5 A.1.3.
    /// </summary>
    private static BigInteger RandomPrime(int bits)
    {
        var rounds = Primality.RoundsForRandomCandidate(bits);
        while (true)
        {
            var candidate = BigMath.RandomOddWithTopTwoBits(bits);
            if (Primality.IsProbablePrime(candidate, rounds))
            {
                return candidate;
            }
        }
    }
}
