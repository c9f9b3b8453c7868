using HealthBlock.Paillier;

namespace HealthBlock.Paillier.Tests;

/// <summary>
/// Keys shared by the whole test run: key generation costs about a second at 2048 bits, so each size is made once.
/// </summary>
internal static class TestKeys
{
    private static readonly Lazy<PaillierPrivateKey> Bits2048 = new(() => PaillierPrivateKey.Generate(2048));
    private static readonly Lazy<PaillierPrivateKey> Other2048 = new(() => PaillierPrivateKey.Generate(2048));
    private static readonly Lazy<PaillierPrivateKey> Bits256 = new(() => PaillierPrivateKey.Generate(256, KeyPolicy.TestOnlySmallKeys));

    /// <summary>A 2048-bit key: the smallest size the public API accepts.</summary>
    public static PaillierPrivateKey Key2048 => Bits2048.Value;

    /// <summary>A second, unrelated 2048-bit key, for "another key" refusals.</summary>
    public static PaillierPrivateKey OtherKey2048 => Other2048.Value;

    /// <summary>A 256-bit key through the test-only path: fast, for tests of bookkeeping (pools, sums) rather than security.</summary>
    public static PaillierPrivateKey Small => Bits256.Value;
}
