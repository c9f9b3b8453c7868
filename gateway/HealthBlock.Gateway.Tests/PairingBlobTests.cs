using System.Text.Json;
using HealthBlock.Gateway.Devices;

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
            var ca = v.GetProperty("caBase64").GetString();
            var uplink = new DeviceUplinkOptions
            {
                IsPlaintext = v.GetProperty("transport").GetString() == "plaintext",
                CaCertificateDer = ca is null ? null : Convert.FromBase64String(ca),
                MqttUsername = v.GetProperty("username").GetString(),
                MqttPassword = v.GetProperty("password").GetString(),
            };

            var blob = PairingPrinter.Format(
                Convert.ToUInt64(v.GetProperty("deviceId").GetString(), 16),
                v.GetProperty("patient").GetString()!,
                Convert.FromHexString(v.GetProperty("keyHex").GetString()!),
                v.GetProperty("brokerHost").GetString()!,
                v.GetProperty("brokerPort").GetInt32(),
                uplink);

            Assert.Equal(v.GetProperty("canonical").GetString(), blob);
        }
    }

    [Fact]
    public void Plaintext_pairing_says_so_explicitly_and_carries_no_certificate()
    {
        var blob = PairingPrinter.Format(1, "patient", new byte[32], "gateway.local", 1883, DeviceUplinkOptions.Plaintext);

        Assert.EndsWith(";transport=plaintext", blob, StringComparison.Ordinal);
        Assert.DoesNotContain(";ca=", blob, StringComparison.Ordinal);
    }

    [Fact]
    public void TLS_without_a_CA_certificate_is_refused()
    {
        var uplink = new DeviceUplinkOptions { IsPlaintext = false };

        var e = Assert.Throws<ArgumentException>(() => PairingPrinter.Format(1, "patient", new byte[32], "gateway.local", 8883, uplink));

        Assert.Contains("CA certificate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broker_the_firmware_would_refuse_is_refused_with_the_pairing_error()
    {
        var e = Assert.Throws<ArgumentException>(() => PairingPrinter.Format(1, "patient", new byte[32], "gate_way", 1883, DeviceUplinkOptions.Plaintext));

        Assert.Contains("BadBroker", e.Message, StringComparison.Ordinal);
    }
}
