using System.Numerics;

namespace HealthBlock.Paillier;

/// <summary>
/// Probable-prime testing: trial division by the primes below 2,000, then the Miller–Rabin test exactly as
/// FIPS 186-5 appendix B (the Miller–Rabin probabilistic primality test) gives it, with bases drawn
/// uniformly from [2, w − 2] by the OS CSPRNG.
/// </summary>
internal static class Primality
{
    /// <summary>
    /// Rounds for a number someone else chose (a key being imported): each Miller–Rabin round passes a composite
    /// with probability at most 1/4 whatever the number (Rabin 1980), so 64 rounds bound the error by 2⁻¹²⁸.
    /// </summary>
    public const int RoundsForGivenNumber = 64;

    private static readonly int[] SmallPrimes = Sieve(2000);

    /// <summary>
    /// Rounds for a candidate drawn uniformly at random, from FIPS 186-5 table B.1 (the average-case bounds of
    /// Damgård, Landrock and Pomerance): 5 rounds for 1024-bit primes (error 2⁻¹¹²), 4 rounds for 1536-bit and
    /// larger primes (2⁻¹²⁸ and below). Smaller primes (test-only keys) fall back to the worst-case count.
    /// </summary>
    public static int RoundsForRandomCandidate(int primeBits) => primeBits switch
    {
        >= 1536 => 4,
        >= 1024 => 5,
        _ => RoundsForGivenNumber,
    };

    /// <summary>True when <paramref name="w"/> passes trial division and <paramref name="rounds"/> Miller–Rabin rounds.</summary>
    public static bool IsProbablePrime(BigInteger w, int rounds)
    {
        if (w < 2)
        {
            return false;
        }

        foreach (var small in SmallPrimes)
        {
            if (w == small)
            {
                return true;
            }

            if ((w % small).IsZero)
            {
                return false;
            }
        }

        return PassesMillerRabin(w, rounds);
    }

    /// <summary>FIPS 186-5 appendix B, Miller–Rabin steps 1–5: w − 1 = 2^a·m with m odd, then <paramref name="rounds"/> random bases.</summary>
    internal static bool PassesMillerRabin(BigInteger w, int rounds)
    {
        var wMinusOne = w - 1;
        var a = 0;
        var m = wMinusOne;
        while (m.IsEven)
        {
            m >>= 1;
            a++;
        }

        var baseBound = w - 3; // b uniform in [2, w − 2]
        for (var i = 0; i < rounds; i++)
        {
            var b = BigMath.RandomBelow(baseBound) + 2;
            if (!WitnessSaysProbablyPrime(BigInteger.ModPow(b, m, w), a, w, wMinusOne))
            {
                return false;
            }
        }

        return true;
    }

    private static bool WitnessSaysProbablyPrime(BigInteger z, int a, BigInteger w, BigInteger wMinusOne)
    {
        if (z.IsOne || z == wMinusOne)
        {
            return true;
        }

        for (var j = 1; j < a; j++)
        {
            z = BigInteger.ModPow(z, 2, w);
            if (z == wMinusOne)
            {
                return true;
            }

            if (z.IsOne)
            {
                return false;
            }
        }

        return false;
    }

    private static int[] Sieve(int limit)
    {
        var composite = new bool[limit];
        var primes = new List<int>();
        for (var i = 2; i < limit; i++)
        {
            if (composite[i])
            {
                continue;
            }

            primes.Add(i);
            for (var j = i * i; j < limit; j += i)
            {
                composite[j] = true;
            }
        }

        return [.. primes];
    }
}
