namespace HealthBlock.Paillier;

/// <summary>Whether a key may be smaller than <see cref="PaillierKeySize.Minimum"/>: only the test projects may ask.</summary>
internal enum KeyPolicy
{
    /// <summary>n has at least <see cref="PaillierKeySize.Minimum"/> bits.</summary>
    Production,

    /// <summary>Any odd n of at least 16 bits: for tiny published vectors and fast pool tests, never for data.</summary>
    TestOnlySmallKeys,
}
