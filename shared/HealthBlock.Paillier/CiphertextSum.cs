using System.Numerics;

namespace HealthBlock.Paillier;

/// <summary>
/// A running homomorphic sum of many ciphertexts under one key: the product of the ciphertexts mod n², kept as
/// acc·R^(−count) with one Montgomery reduction per addition and corrected once by R^count at the end. Also counts
/// the ciphertexts added, so a packed sum can be checked against its layout's bounds. Not thread-safe: give each
/// thread its own sum and add the partial results with <see cref="PaillierPublicKey.Add"/>.
/// </summary>
public sealed class CiphertextSum
{
    private readonly MontgomeryDomain _domain;
    private BigInteger _accumulator = BigInteger.One;

    /// <summary>An empty sum under <paramref name="key"/>.</summary>
    public CiphertextSum(PaillierPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        _domain = key.Montgomery;
    }

    /// <summary>The key every added ciphertext must be under.</summary>
    public PaillierPublicKey Key { get; }

    /// <summary>How many ciphertexts were added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds a ciphertext (homomorphically: multiplies it in).</summary>
    public void Add(PaillierCiphertext ciphertext)
    {
        Key.CheckOwn(ciphertext);
        _accumulator = _domain.Reduce(_accumulator * ciphertext.Value);
        Count++;
    }

    /// <summary>
    /// The ciphertext of the sum of everything added. An empty sum is the trivial ciphertext 1 of 0; re-randomise
    /// before publishing it.
    /// </summary>
    public PaillierCiphertext ToCiphertext()
    {
        var correction = BigInteger.ModPow(_domain.RModM, Count, Key.NSquared);
        return new PaillierCiphertext(Key, _accumulator * correction % Key.NSquared);
    }
}
