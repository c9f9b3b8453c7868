using System.Text.Json;
using HealthBlock.Wearable.Pairing;

namespace HealthBlock.Wearable.Core.Tests;

public class PairingBlobTests
{
    public static TheoryData<string> ValidNames() => Names("valid", "name");

    public static TheoryData<string> InvalidWhys() => Names("invalid", "why");

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Valid_vector_parses_to_its_fields_and_prints_its_canonical_form(string name)
    {
        var v = Find("valid", "name", name);

        Assert.True(PairingBlob.TryParse(v.GetProperty("blob").GetString(), out var blob, out var error), PairingBlob.ErrorName(error));

        Assert.Equal(PairingError.None, error);
        Assert.Equal(v.GetProperty("deviceId").GetString(), blob.DeviceHex);
        Assert.Equal(Convert.ToUInt64(v.GetProperty("deviceId").GetString(), 16), blob.DeviceId);
        Assert.Equal(v.GetProperty("patient").GetString(), blob.Patient);
        Assert.Equal(v.GetProperty("keyHex").GetString(), Convert.ToHexStringLower(blob.GetKey()));
        Assert.Equal(v.GetProperty("brokerHost").GetString(), blob.BrokerHost);
        Assert.Equal(v.GetProperty("brokerPort").GetInt32(), blob.BrokerPort);
        Assert.Equal(v.GetProperty("baseTopic").GetString(), blob.BaseTopic);
        Assert.Equal(v.GetProperty("canonical").GetString(), blob.ToString());
    }

    [Theory]
    [MemberData(nameof(InvalidWhys))]
    public void Invalid_vector_is_refused_with_its_error(string why)
    {
        var v = Find("invalid", "why", why);

        var ok = PairingBlob.TryParse(v.GetProperty("blob").GetString(), out var blob, out var error);

        Assert.False(ok);
        Assert.Null(blob);
        Assert.Equal(v.GetProperty("error").GetString(), PairingBlob.ErrorName(error));
    }

    [Fact]
    public void Every_error_kind_has_an_invalid_vector()
    {
        using var doc = Vectors.Load("pairing-blob.json");
        var covered = doc.RootElement.GetProperty("invalid").EnumerateArray()
            .Select(v => v.GetProperty("error").GetString())
            .ToHashSet();

        var kinds = Enum.GetValues<PairingError>().Where(e => e != PairingError.None).Select(PairingBlob.ErrorName);

        Assert.All(kinds, kind => Assert.Contains(kind, covered));
    }

    [Fact]
    public void Null_is_empty()
    {
        Assert.False(PairingBlob.TryParse(null, out _, out var error));
        Assert.Equal(PairingError.Empty, error);
    }

    [Fact]
    public void Parse_throws_a_format_exception_naming_the_error()
    {
        var e = Assert.Throws<FormatException>(() => PairingBlob.Parse("hbpair1"));

        Assert.Contains("MissingField", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_round_trips_through_the_parser()
    {
        var key = TestKeys.Device;

        var blob = PairingBlob.Create(0x00a1b2c3d4e5f607, "patient-1", key, "fd00::17", 1883);
        var again = PairingBlob.Parse(blob.ToString());

        Assert.Equal("hbpair1;device=00a1b2c3d4e5f607;patient=patient-1;key=" + Convert.ToHexStringLower(key)
            + ";broker=[fd00::17]:1883;topic=hb/patient-1/00a1b2c3d4e5f607", blob.ToString());
        Assert.Equal(blob.ToString(), again.ToString());
        Assert.Equal(key, again.GetKey());
    }

    [Fact]
    public void Create_refuses_a_bad_part()
    {
        Assert.Throws<ArgumentException>(() => PairingBlob.Create(1, "a/b", TestKeys.Device, "gw", 1883));
        Assert.Throws<ArgumentException>(() => PairingBlob.Create(1, "p", new byte[31], "gw", 1883));
        Assert.Throws<ArgumentException>(() => PairingBlob.Create(1, "p", TestKeys.Device, "gw", 0));
    }

    [Fact]
    public void The_key_is_returned_as_a_copy()
    {
        var blob = PairingBlob.Create(1, "p", TestKeys.Device, "gw", 1883);

        blob.GetKey()[0] ^= 0xFF;

        Assert.Equal(TestKeys.Device, blob.GetKey());
    }

    private static TheoryData<string> Names(string list, string property)
    {
        using var doc = Vectors.Load("pairing-blob.json");
        var data = new TheoryData<string>();
        foreach (var v in doc.RootElement.GetProperty(list).EnumerateArray())
        {
            data.Add(v.GetProperty(property).GetString()!);
        }

        return data;
    }

    private static JsonElement Find(string list, string property, string value)
    {
        using var doc = Vectors.Load("pairing-blob.json");
        return doc.RootElement.GetProperty(list).EnumerateArray()
            .Single(v => v.GetProperty(property).GetString() == value)
            .Clone();
    }
}
