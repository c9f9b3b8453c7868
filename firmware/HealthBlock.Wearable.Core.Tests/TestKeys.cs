namespace HealthBlock.Wearable.Core.Tests;

/// <summary>Device keys the tests sign and verify frames with.</summary>
public static class TestKeys
{
    public static readonly byte[] Device = Convert.FromHexString("8f3a5c9e1d7b2a4c6e8f0a1b3c5d7e9f2b4d6f8a0c2e4a6c8e0b2d4f6a8c0e2f");

    public static readonly byte[] Other = Convert.FromHexString("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
}
