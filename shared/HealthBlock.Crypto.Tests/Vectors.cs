using System.Text.Json;

namespace HealthBlock.Crypto.Tests;

/// <summary>Loads the JSON test vectors in data/.</summary>
internal static class Vectors
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static T[] Load<T>(string name) =>
        JsonSerializer.Deserialize<T[]>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", name)), Options)
        ?? throw new InvalidDataException(name);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);
}

internal sealed record HmacVector(int Case, string Key, string Data, string Mac);

internal sealed record HkdfVector(int Case, string Ikm, string Salt, string Info, int Length, string Prk, string Okm);

internal sealed record GcmVector(int Case, string Key, string Iv, string Plaintext, string Aad, string Ciphertext, string Tag);
