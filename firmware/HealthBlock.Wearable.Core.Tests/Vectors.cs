using System.Text.Json;

namespace HealthBlock.Wearable.Core.Tests;

/// <summary>Loads the vectors in firmware/vectors (copied next to the test assembly).</summary>
public static class Vectors
{
    public static JsonDocument Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", name)));
}
