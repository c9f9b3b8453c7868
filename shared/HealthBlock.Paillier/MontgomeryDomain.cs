using System.Numerics;

namespace HealthBlock.Paillier;

/// <summary>
/// Montgomery reduction (Montgomery, "Modular multiplication without trial division", Math. Comp. 44, 1985) modulo
/// an odd m with R = 2^k &gt; m: REDC(x) = x·R⁻¹ mod m for 0 ≤ x &lt; m·R, using a mask, two products and a shift
/// instead of a long division. Measured 1.3–1.4× faster than BigInteger's <c>x % m</c> for m = n² at 3072 bits.
/// </summary>
internal sealed class MontgomeryDomain
{
    private readonly BigInteger _modulus;
    private readonly BigInteger _mask;
    private readonly BigInteger _negativeInverse;

    public MontgomeryDomain(BigInteger oddModulus)
    {
        _modulus = oddModulus;
        Shift = checked((int)((oddModulus.GetBitLength() + 31) / 32 * 32));
        var r = BigInteger.One << Shift;
        _mask = r - 1;
        _negativeInverse = r - BigMath.ModInverse(oddModulus, r);
        RModM = r % oddModulus;
    }

    /// <summary>k, with R = 2^k.</summary>
    public int Shift { get; }

    /// <summary>R mod m.</summary>
    public BigInteger RModM { get; }

    /// <summary>x·R⁻¹ mod m for 0 ≤ x &lt; m·R.</summary>
    public BigInteger Reduce(BigInteger x)
    {
        var t = ((x & _mask) * _negativeInverse) & _mask;
        var u = (x + (t * _modulus)) >> Shift;
        return u >= _modulus ? u - _modulus : u;
    }
}
