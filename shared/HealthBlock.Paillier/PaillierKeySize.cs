namespace HealthBlock.Paillier;

/// <summary>The modulus sizes this library accepts.</summary>
public static class PaillierKeySize
{
    /// <summary>The default modulus size: 3072 bits, about 128-bit security (NIST SP 800-57 part 1, table 2).</summary>
    public const int Default = 3072;

    /// <summary>
    /// The smallest modulus accepted: 2048 bits (about 112-bit security), allowed so tests and benchmarks run in
    /// reasonable time. Anything smaller is refused except through the internal test-only path.
    /// </summary>
    public const int Minimum = 2048;
}
