using System.Numerics;
using System.Security.Cryptography;

namespace HealthBlock.Paillier;

/// <summary>The few number-theory helpers the scheme needs, over <see cref="BigInteger"/>, with randomness from the OS CSPRNG.</summary>
internal static class BigMath
{
    /// <summary>A uniform integer in [0, bound), by rejection sampling over the bound's bit length (no modulo bias).</summary>
    public static BigInteger RandomBelow(BigInteger bound)
    {
        if (bound.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), "The bound must be positive.");
        }

        var bits = checked((int)bound.GetBitLength());
        var bytes = new byte[(bits + 7) / 8];
        var topMask = (byte)(0xFF >> ((8 * bytes.Length) - bits));
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            bytes[0] &= topMask;
            var candidate = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            if (candidate < bound)
            {
                return candidate;
            }
        }
    }

    /// <summary>A uniform r with 0 &lt; r &lt; n and gcd(r, n) = 1: the randomness of one Paillier encryption.</summary>
    public static BigInteger RandomUnit(BigInteger n)
    {
        while (true)
        {
            var r = RandomBelow(n);
            if (!r.IsZero && BigInteger.GreatestCommonDivisor(r, n).IsOne)
            {
                return r;
            }
        }
    }

    /// <summary>A uniform odd integer of exactly <paramref name="bits"/> bits whose two top bits are set.</summary>
    public static BigInteger RandomOddWithTopTwoBits(int bits)
    {
        var bytes = new byte[(bits + 7) / 8];
        RandomNumberGenerator.Fill(bytes);
        var excess = (8 * bytes.Length) - bits;
        bytes[0] &= (byte)(0xFF >> excess);
        var candidate = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return candidate | (BigInteger.One << (bits - 1)) | (BigInteger.One << (bits - 2)) | BigInteger.One;
    }

    /// <summary>a⁻¹ mod m by the extended Euclidean algorithm; fails when gcd(a, m) ≠ 1.</summary>
    public static BigInteger ModInverse(BigInteger a, BigInteger m)
    {
        BigInteger t = BigInteger.Zero, nextT = BigInteger.One;
        BigInteger r = m, nextR = BigInteger.Remainder(a, m);
        if (nextR.Sign < 0)
        {
            nextR += m;
        }

        while (!nextR.IsZero)
        {
            var quotient = BigInteger.Divide(r, nextR);
            (t, nextT) = (nextT, t - (quotient * nextT));
            (r, nextR) = (nextR, r - (quotient * nextR));
        }

        if (!r.IsOne)
        {
            throw new ArithmeticException("The value has no inverse modulo m.");
        }

        return t.Sign < 0 ? t + m : t;
    }

    /// <summary>x mod m in [0, m), also for negative x.</summary>
    public static BigInteger Mod(BigInteger x, BigInteger m)
    {
        var r = BigInteger.Remainder(x, m);
        return r.Sign < 0 ? r + m : r;
    }

    /// <summary>The unsigned big-endian minimal bytes of a positive integer (no leading zero byte).</summary>
    public static byte[] ToMinimalBytes(BigInteger value)
    {
        if (value.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Only positive integers are encoded.");
        }

        return value.ToByteArray(isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Reads unsigned big-endian minimal bytes; null when they are empty or start with a zero byte.</summary>
    public static BigInteger? FromMinimalBytes(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty || bytes[0] == 0 ? null : new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
}
