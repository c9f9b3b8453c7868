using System.Text.Json;

namespace HealthBlock.Protocol.Tests;

/// <summary>Loads the JSON vectors in data/.</summary>
internal static class TestData
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static T Load<T>(string name) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", name)), Options)
        ?? throw new InvalidDataException(name);
}

internal sealed record FrameVectors(string Key, ValidFrame[] Valid, InvalidFrame[] Invalid);

internal sealed record ValidFrame(string Name, byte Kind, byte Flags, string Device, uint Sequence, long TimestampMs, uint RateMilliHz, short[] Samples, int Dropped, int TagLength, string Frame);

internal sealed record InvalidFrame(string Name, string Frame, string Error);

internal sealed record CidVectors(ValidCid[] Valid, InvalidCid[] Invalid);

internal sealed record ValidCid(string Name, string DataHex, string Cid);

internal sealed record InvalidCid(string Name, string Text);
