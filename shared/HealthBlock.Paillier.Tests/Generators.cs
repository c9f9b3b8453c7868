using System.Numerics;
using CsCheck;

namespace HealthBlock.Paillier.Tests;

/// <summary>CsCheck generators for big integers.</summary>
internal static class Generators
{
    /// <summary>
    /// Integers in [0, bound): byte strings of random length up to the bound's size plus 8 bytes, reduced mod the
    /// bound, so small values, values near the bound and everything between all appear.
    /// </summary>
    public static Gen<BigInteger> Below(BigInteger bound)
    {
        var bytes = (int)((bound.GetBitLength() + 7) / 8) + 8;
        return Gen.Byte.Array[1, bytes].Select(b => new BigInteger(b, isUnsigned: true) % bound);
    }
}
