namespace HealthBlock.Paillier;

/// <summary>Why a Paillier operation refused its input.</summary>
public enum PaillierError
{
    /// <summary>A ciphertext is outside 0 &lt; c &lt; n², shares a factor with n, or belongs to another key.</summary>
    InvalidCiphertext,

    /// <summary>A plaintext is outside 0 ≤ m &lt; n, or a scalar is negative.</summary>
    PlaintextOutOfRange,

    /// <summary>Key parameters are too small, not prime, inconsistent or otherwise unsafe.</summary>
    WeakKey,

    /// <summary>An encoding is not the canonical CBOR form this library writes.</summary>
    MalformedEncoding,

    /// <summary>A packed value, cohort or decoded sum is beyond the bounds its layout was built for.</summary>
    PackingOverflow,
}
