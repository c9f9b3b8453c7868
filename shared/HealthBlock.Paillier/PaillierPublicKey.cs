using System.Numerics;
using System.Security.Cryptography;

namespace HealthBlock.Paillier;

/// <summary>
/// A Paillier public key (Paillier, EUROCRYPT 1999, scheme 1) with the generator fixed to g = n + 1, so that
/// g^m mod n² = 1 + m·n needs no exponentiation. Encryption of 0 ≤ m &lt; n is c = (1 + m·n)·rⁿ mod n² with
/// 0 &lt; r &lt; n, gcd(r, n) = 1, drawn from the OS CSPRNG.
/// </summary>
public sealed class PaillierPublicKey : IEquatable<PaillierPublicKey>
{
    /// <summary>Bytes of the key fingerprint (a leading part of SHA-256 of the canonical CBOR encoding).</summary>
    public const int FingerprintSize = 16;

    private const int TestOnlyMinimumBits = 16;

    private byte[]? _fingerprint;
    private MontgomeryDomain? _montgomery;

    /// <summary>Wraps a modulus n; refuses an even n or one below <see cref="PaillierKeySize.Minimum"/> bits.</summary>
    public PaillierPublicKey(BigInteger n)
        : this(n, KeyPolicy.Production)
    {
    }

    internal PaillierPublicKey(BigInteger n, KeyPolicy policy)
    {
        var minimum = policy == KeyPolicy.Production ? PaillierKeySize.Minimum : TestOnlyMinimumBits;
        if (n.Sign <= 0 || n.IsEven)
        {
            throw new PaillierException(PaillierError.WeakKey, "A Paillier modulus is a positive odd integer (a product of two odd primes).");
        }

        if (n.GetBitLength() < minimum)
        {
            throw new PaillierException(PaillierError.WeakKey, $"A {n.GetBitLength()}-bit modulus is too small: at least {minimum} bits are required.");
        }

        N = n;
        NSquared = n * n;
        Policy = policy;
    }

    /// <summary>The modulus n = p·q.</summary>
    public BigInteger N { get; }

    /// <summary>n², the modulus of ciphertexts.</summary>
    public BigInteger NSquared { get; }

    /// <summary>The generator g = n + 1.</summary>
    public BigInteger G => N + 1;

    /// <summary>The bit length of n.</summary>
    public int ModulusBits => (int)N.GetBitLength();

    /// <summary>
    /// The first <see cref="FingerprintSize"/> bytes of SHA-256 over the key's canonical CBOR encoding; ciphertext
    /// encodings carry it so a ciphertext under another key is refused by name rather than decrypted to noise.
    /// </summary>
    public ReadOnlySpan<byte> Fingerprint => _fingerprint ??= SHA256.HashData(PaillierCbor.Encode(this))[..FingerprintSize];

    internal KeyPolicy Policy { get; }

    internal MontgomeryDomain Montgomery => _montgomery ??= new MontgomeryDomain(NSquared);

    /// <summary>Encrypts 0 ≤ <paramref name="plaintext"/> &lt; n with a fresh rⁿ mod n² (one full exponentiation).</summary>
    public PaillierCiphertext Encrypt(BigInteger plaintext) => EncryptWithNthResidue(plaintext, RandomNthResidue());

    /// <summary>Encrypts with an rⁿ taken from <paramref name="pool"/> (computed on the spot when the pool is empty).</summary>
    public PaillierCiphertext Encrypt(BigInteger plaintext, NthResiduePool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (!Equals(pool.Key))
        {
            throw new ArgumentException("The pool holds n-th residues of another key.", nameof(pool));
        }

        return EncryptWithNthResidue(plaintext, pool.Take());
    }

    /// <summary>rⁿ mod n² for a fresh uniform r with 0 &lt; r &lt; n and gcd(r, n) = 1.</summary>
    public BigInteger RandomNthResidue() => BigInteger.ModPow(BigMath.RandomUnit(N), N, NSquared);

    /// <summary>The homomorphic sum: a ciphertext of (m₁ + m₂) mod n, computed as c₁·c₂ mod n².</summary>
    public PaillierCiphertext Add(PaillierCiphertext first, PaillierCiphertext second)
    {
        CheckOwn(first);
        CheckOwn(second);
        return new PaillierCiphertext(this, first.Value * second.Value % NSquared);
    }

    /// <summary>
    /// The homomorphic product by a plaintext scalar: a ciphertext of k·m mod n, computed as c^k mod n². It does
    /// not re-randomise (k = 0 gives the trivial ciphertext 1); use <see cref="Rerandomize"/> before publishing it.
    /// </summary>
    public PaillierCiphertext Multiply(PaillierCiphertext ciphertext, BigInteger scalar)
    {
        CheckOwn(ciphertext);
        if (scalar.Sign < 0)
        {
            throw new PaillierException(PaillierError.PlaintextOutOfRange, "A scalar multiplier is a non-negative integer.");
        }

        return new PaillierCiphertext(this, BigInteger.ModPow(ciphertext.Value, scalar, NSquared));
    }

    /// <summary>The same plaintext under fresh randomness: c·rⁿ mod n².</summary>
    public PaillierCiphertext Rerandomize(PaillierCiphertext ciphertext)
    {
        CheckOwn(ciphertext);
        return new PaillierCiphertext(this, ciphertext.Value * RandomNthResidue() % NSquared);
    }

    /// <summary>Validates a received ciphertext value: 0 &lt; c &lt; n² and gcd(c, n) = 1, else <see cref="PaillierError.InvalidCiphertext"/>.</summary>
    public PaillierCiphertext ToCiphertext(BigInteger value)
    {
        if (value.Sign <= 0 || value >= NSquared)
        {
            throw new PaillierException(PaillierError.InvalidCiphertext, "A ciphertext lies strictly between 0 and n²; this one does not.");
        }

        if (!BigInteger.GreatestCommonDivisor(value, N).IsOne)
        {
            throw new PaillierException(PaillierError.InvalidCiphertext, "A ciphertext is coprime to n; this one shares a factor with it.");
        }

        return new PaillierCiphertext(this, value);
    }

    /// <summary>Keys are equal when their moduli are.</summary>
    public bool Equals(PaillierPublicKey? other) => other is not null && (ReferenceEquals(this, other) || N == other.N);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PaillierPublicKey);

    /// <inheritdoc />
    public override int GetHashCode() => N.GetHashCode();

    /// <summary>Encrypts with a given r (the known-vector path): 0 &lt; r &lt; n and gcd(r, n) = 1 are checked.</summary>
    internal PaillierCiphertext EncryptWithRandomness(BigInteger plaintext, BigInteger r)
    {
        if (r.Sign <= 0 || r >= N || !BigInteger.GreatestCommonDivisor(r, N).IsOne)
        {
            throw new PaillierException(PaillierError.PlaintextOutOfRange, "The randomness r must satisfy 0 < r < n and gcd(r, n) = 1.");
        }

        return EncryptWithNthResidue(plaintext, BigInteger.ModPow(r, N, NSquared));
    }

    internal PaillierCiphertext EncryptWithNthResidue(BigInteger plaintext, BigInteger nthResidue)
    {
        CheckPlaintext(plaintext);

        // g^m = (1 + n)^m = 1 + m·n (mod n²) by the binomial theorem; m < n keeps 1 + m·n below n².
        return new PaillierCiphertext(this, (BigInteger.One + (plaintext * N)) * nthResidue % NSquared);
    }

    internal void CheckPlaintext(BigInteger plaintext)
    {
        if (plaintext.Sign < 0 || plaintext >= N)
        {
            throw new PaillierException(PaillierError.PlaintextOutOfRange, $"A plaintext lies in [0, n); this one has {plaintext.GetBitLength()} bits against a {ModulusBits}-bit n.");
        }
    }

    internal void CheckOwn(PaillierCiphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        if (!Equals(ciphertext.Key))
        {
            throw new PaillierException(PaillierError.InvalidCiphertext, "The ciphertext was made under another public key.");
        }
    }
}
