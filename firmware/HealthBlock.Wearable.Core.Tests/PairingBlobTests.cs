using System.Text.Json;
using HealthBlock.Protocol.Pairing;

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
        Assert.Equal(v.GetProperty("transport").GetString() == "plaintext", blob.Security.IsPlaintext);
        Assert.Equal(v.GetProperty("username").GetString(), blob.Security.MqttUsername);
        Assert.Equal(v.GetProperty("password").GetString(), blob.Security.MqttPassword);
        var ca = v.GetProperty("caBase64").GetString();
        Assert.Equal(ca, blob.Security.GetCaCertificate() is { } der ? Convert.ToBase64String(der) : null);
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
        var e = Assert.Throws<FormatException>(() => PairingBlob.Parse("hbpair2"));

        Assert.Contains("MissingField", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pre_TLS_blob_is_refused_as_the_old_format()
    {
        var e = Assert.Throws<FormatException>(() => PairingBlob.Parse("hbpair1;device=0123456789abcdef"));

        Assert.Contains("OldFormat", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_round_trips_a_plaintext_blob_through_the_parser()
    {
        var key = TestKeys.Device;

        var blob = PairingBlob.Create(0x00a1b2c3d4e5f607, "patient-1", key, "fd00::17", 1883, UplinkSecurity.Plaintext(null, null));
        var again = PairingBlob.Parse(blob.ToString());

        Assert.Equal("hbpair2;device=00a1b2c3d4e5f607;patient=patient-1;key=" + Convert.ToHexStringLower(key)
            + ";broker=[fd00::17]:1883;topic=hb/patient-1/00a1b2c3d4e5f607;transport=plaintext", blob.ToString());
        Assert.Equal(blob.ToString(), again.ToString());
        Assert.Equal(key, again.GetKey());
        Assert.True(again.Security.IsPlaintext);
        Assert.False(again.Security.HasCredentials);
        Assert.Null(again.Security.GetCaCertificate());
    }

    [Fact]
    public void Create_round_trips_a_TLS_blob_with_credentials()
    {
        var ca = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "vectors", "test-ca.der"));

        var blob = PairingBlob.Create(7, "p", TestKeys.Device, "gw.example", 8883, UplinkSecurity.Tls(ca, "dev-7", "pw=1!x"));
        var again = PairingBlob.Parse(blob.ToString());

        Assert.False(again.Security.IsPlaintext);
        Assert.Equal(ca, again.Security.GetCaCertificate());
        Assert.Equal("dev-7", again.Security.MqttUsername);
        Assert.Equal("pw=1!x", again.Security.MqttPassword);
        Assert.Equal(8883, again.BrokerPort);
    }

    [Fact]
    public void Create_refuses_a_bad_part()
    {
        var plain = UplinkSecurity.Plaintext(null, null);
        Assert.Throws<ArgumentException>(() => PairingBlob.Create(1, "a/b", TestKeys.Device, "gw", 1883, plain));
        Assert.Throws<ArgumentException>(() => PairingBlob.Create(1, "p", new byte[31], "gw", 1883, plain));
        Assert.Throws<ArgumentException>(() => PairingBlob.Create(1, "p", TestKeys.Device, "gw", 0, plain));
        Assert.Throws<ArgumentException>(() => PairingBlob.Create(1, "p", TestKeys.Device, "gw", 1883, UplinkSecurity.Plaintext("u", null)));
        Assert.Throws<ArgumentException>(() => PairingBlob.Create(1, "p", TestKeys.Device, "gw", 1883, UplinkSecurity.Tls([0x30, 0x05], null, null)));
        Assert.Throws<ArgumentNullException>(() => PairingBlob.Create(1, "p", TestKeys.Device, "gw", 1883, null));
    }

    [Fact]
    public void The_key_and_the_certificate_are_returned_as_copies()
    {
        var ca = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "vectors", "test-ca.der"));
        var blob = PairingBlob.Create(1, "p", TestKeys.Device, "gw", 1883, UplinkSecurity.Tls(ca, null, null));

        blob.GetKey()[0] ^= 0xFF;
        blob.Security.GetCaCertificate()![0] ^= 0xFF;

        Assert.Equal(TestKeys.Device, blob.GetKey());
        Assert.Equal(ca, blob.Security.GetCaCertificate());
    }

    [Fact]
    public void The_longest_blob_the_fields_allow_fits_the_length_limit()
    {
        // Every field at its bound (firmware/README.md): a blob the gateway can print must never be TooLong.
        var host = string.Join('.', new string('a', 63), new string('b', 63), new string('c', 63), new string('d', 61));
        var ca = new byte[PairingBlob.MaxCaCertificateLength];
        ca[0] = 0x30;
        ca[1] = 0x82;
        ca[2] = (PairingBlob.MaxCaCertificateLength - 4) >> 8;
        ca[3] = (PairingBlob.MaxCaCertificateLength - 4) & 0xFF;
        var security = UplinkSecurity.Tls(ca, new string('u', PairingBlob.MaxCredentialLength), new string('~', PairingBlob.MaxCredentialLength));

        var text = PairingBlob.Create(ulong.MaxValue, new string('p', 64), TestKeys.Device, host, 65535, security).ToString();

        Assert.Equal(253, host.Length);
        Assert.InRange(text.Length, 3000, PairingBlob.MaxLength);
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
