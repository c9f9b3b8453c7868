using System.Numerics;

namespace HealthBlock.Paillier;

/// <summary>
/// A Paillier private key: the primes p and q of n, with the constants of CRT decryption precomputed as in
/// Paillier (EUROCRYPT 1999) section 7: h_p = L_p(g^(p−1) mod p²)⁻¹ mod p, h_q likewise, where L_p(x) = (x − 1)/p;
/// then m_p = L_p(c^(p−1) mod p²)·h_p mod p, m_q likewise, and m = CRT(m_p, m_q) mod n.
/// </summary>
public sealed class PaillierPrivateKey
{
    private readonly BigInteger _pSquared;
    private readonly BigInteger _qSquared;
    private readonly BigInteger _hp;
    private readonly BigInteger _hq;
    private readonly BigInteger _qInverseModP;
    private readonly BigInteger _nModOrderP;
    private readonly BigInteger _nModOrderQ;
    private readonly BigInteger _qSquaredInverseModPSquared;
    private (BigInteger Lambda, BigInteger Mu)? _textbook;

    private PaillierPrivateKey(BigInteger p, BigInteger q, KeyPolicy policy)
    {
        // Order the primes so p > q; CRT recombination below does not depend on it, encodings do.
        (P, Q) = p > q ? (p, q) : (q, p);
        PublicKey = new PaillierPublicKey(P * Q, policy);
        _pSquared = P * P;
        _qSquared = Q * Q;
        var g = PublicKey.G;
        _hp = BigMath.ModInverse(L(BigInteger.ModPow(g, P - 1, _pSquared), P), P);
        _hq = BigMath.ModInverse(L(BigInteger.ModPow(g, Q - 1, _qSquared), Q), Q);
        _qInverseModP = BigMath.ModInverse(Q, P);

        // Z*_{p²} has order p(p − 1), so rⁿ mod p² = r^(n mod p(p−1)) mod p².
        _nModOrderP = PublicKey.N % (P * (P - 1));
        _nModOrderQ = PublicKey.N % (Q * (Q - 1));
        _qSquaredInverseModPSquared = BigMath.ModInverse(_qSquared, _pSquared);
    }

    /// <summary>The larger prime factor of n.</summary>
    public BigInteger P { get; }

    /// <summary>The smaller prime factor of n.</summary>
    public BigInteger Q { get; }

    /// <summary>The public key n = p·q, g = n + 1.</summary>
    public PaillierPublicKey PublicKey { get; }

    /// <summary>
    /// Generates a key pair with an n of <paramref name="modulusBits"/> bits (default 3072, at least 2048): two random
    /// probable primes of half that size each, drawn from the OS CSPRNG and checked as <c>docs/paillier.md</c> lists.
    /// </summary>
    public static PaillierPrivateKey Generate(int modulusBits = PaillierKeySize.Default) => Generate(modulusBits, KeyPolicy.Production);

    /// <summary>Imports a key from its primes, refusing composite, equal, too close, too small or unbalanced ones.</summary>
    public static PaillierPrivateKey FromPrimes(BigInteger p, BigInteger q) => FromPrimes(p, q, KeyPolicy.Production);

    /// <summary>
    /// Decrypts with the CRT (two exponentiations modulo p² and q² with exponents p − 1 and q − 1). Returns 0 ≤ m &lt; n.
    /// </summary>
    public BigInteger Decrypt(PaillierCiphertext ciphertext)
    {
        PublicKey.CheckOwn(ciphertext);
        var c = ciphertext.Value;
        var mp = L(BigInteger.ModPow(c % _pSquared, P - 1, _pSquared), P) * _hp % P;
        var mq = L(BigInteger.ModPow(c % _qSquared, Q - 1, _qSquared), Q) * _hq % Q;

        // Garner's recombination: m = m_q + q·((m_p − m_q)·q⁻¹ mod p).
        return mq + (Q * BigMath.Mod((mp - mq) * _qInverseModP, P));
    }

    /// <summary>
    /// rⁿ mod n² for a fresh r, computed by the key holder through the CRT: rⁿ mod p² and rⁿ mod q² (exponents reduced
    /// modulo the group orders p(p−1) and q(q−1)), recombined modulo n². Same distribution as
    /// <see cref="PaillierPublicKey.RandomNthResidue"/>, about half the work.
    /// </summary>
    public BigInteger RandomNthResidue()
    {
        var r = BigMath.RandomUnit(PublicKey.N);
        var xp = BigInteger.ModPow(r % _pSquared, _nModOrderP, _pSquared);
        var xq = BigInteger.ModPow(r % _qSquared, _nModOrderQ, _qSquared);
        return xq + (_qSquared * BigMath.Mod((xp - xq) * _qSquaredInverseModPSquared, _pSquared));
    }

    internal static PaillierPrivateKey Generate(int modulusBits, KeyPolicy policy)
    {
        var (p, q) = KeyParameters.GeneratePrimes(modulusBits, policy);
        return new PaillierPrivateKey(p, q, policy);
    }

    internal static PaillierPrivateKey FromPrimes(BigInteger p, BigInteger q, KeyPolicy policy)
    {
        KeyParameters.CheckImported(p, q, policy);
        return new PaillierPrivateKey(p, q, policy);
    }

    /// <summary>
    /// Textbook decryption, m = L(c^λ mod n²)·μ mod n with λ = lcm(p − 1, q − 1) and μ = L(g^λ mod n²)⁻¹ mod n
    /// (Paillier 1999, scheme 1): the benchmark's baseline and the tests' cross-check of the CRT path.
    /// </summary>
    internal BigInteger DecryptWithoutCrt(PaillierCiphertext ciphertext)
    {
        PublicKey.CheckOwn(ciphertext);
        var n = PublicKey.N;
        var (lambda, mu) = _textbook ??= TextbookConstants();
        return L(BigInteger.ModPow(ciphertext.Value, lambda, PublicKey.NSquared), n) * mu % n;
    }

    private (BigInteger Lambda, BigInteger Mu) TextbookConstants()
    {
        var n = PublicKey.N;
        var lambda = (P - 1) * (Q - 1) / BigInteger.GreatestCommonDivisor(P - 1, Q - 1);
        return (lambda, BigMath.ModInverse(L(BigInteger.ModPow(PublicKey.G, lambda, PublicKey.NSquared), n), n));
    }

    /// <summary>L_d(x) = (x − 1)/d, defined on x ≡ 1 (mod d).</summary>
    private static BigInteger L(BigInteger x, BigInteger d) => (x - 1) / d;
}
