using System.Text.Json;
using HealthBlock.Gateway.Journal;

namespace HealthBlock.Gateway.Tests;

public class PairingBlobTests
{
    [Fact]
    public void The_gateway_prints_the_firmware_vectors_canonical_blobs()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "pairing-blob.json")));
        var vectors = doc.RootElement.GetProperty("valid").EnumerateArray().ToList();
        Assert.NotEmpty(vectors);
        foreach (var v in vectors)
        {
            var blob = PairingBlob.Format(
                Convert.ToUInt64(v.GetProperty("deviceId").GetString(), 16),
                v.GetProperty("patient").GetString()!,
                Convert.FromHexString(v.GetProperty("keyHex").GetString()!),
                v.GetProperty("brokerHost").GetString()!,
                v.GetProperty("brokerPort").GetInt32());
            Assert.Equal(v.GetProperty("canonical").GetString(), blob);
        }
    }
}
