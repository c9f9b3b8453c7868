using System.Numerics;

namespace HealthBlock.Paillier;

/// <summary>
/// A Paillier ciphertext bound to its public key. Values only come from this library's operations or from
/// <see cref="PaillierPublicKey.ToCiphertext"/>, which checks 0 &lt; c &lt; n² and gcd(c, n) = 1.
/// </summary>
public sealed class PaillierCiphertext : IEquatable<PaillierCiphertext>
{
    internal PaillierCiphertext(PaillierPublicKey key, BigInteger value)
    {
        Key = key;
        Value = value;
    }

    /// <summary>The key the ciphertext was made under.</summary>
    public PaillierPublicKey Key { get; }

    /// <summary>The ciphertext c, an element of Z*_{n²}.</summary>
    public BigInteger Value { get; }

    /// <summary>Ciphertexts are equal when their keys and values are (equal plaintexts under fresh randomness are not).</summary>
    public bool Equals(PaillierCiphertext? other) => other is not null && Value == other.Value && Key.Equals(other.Key);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PaillierCiphertext);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();
}
