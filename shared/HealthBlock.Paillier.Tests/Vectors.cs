using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace HealthBlock.Paillier.Tests;

/// <summary>Loads the JSON vectors in data/ (integers as decimal strings).</summary>
internal static class Vectors
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static T Load<T>(string name) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", name)), Options)
        ?? throw new InvalidDataException(name);

    public static BigInteger Int(string value) => BigInteger.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
}

internal sealed record VectorCase(string M, string R, string C);

internal sealed record RfcPrimeVectors(string Source, string P, string Q, string N, VectorCase[] Cases);

internal sealed record JsKey(string N, string G, string Lambda, string Mu, string P, string Q);

internal sealed record JsSum(string C, string M);

internal sealed record JsMultiple(int Of_Case, string Scalar, string C, string M);

internal sealed record PaillierBigintVectors(string Source, JsKey Key, VectorCase[] Cases, JsSum Sum, JsMultiple Multiple);
