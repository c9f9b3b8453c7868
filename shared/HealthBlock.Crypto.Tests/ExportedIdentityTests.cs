using System.Text.Json.Nodes;

namespace HealthBlock.Crypto.Tests;

public sealed class ExportedIdentityTests
{
    [Fact]
    public void An_export_parses_back_to_the_same_keys_role_and_name()
    {
        using var key = IdentityKey.Generate();

        var parsed = ExportedIdentity.Parse(ExportedIdentity.Export(key, "doctor", "Dr. Ada Lovelace"));

        Assert.Equal(key.Id, parsed.Identity.Id);
        Assert.Equal(key.Public.EncryptionKey.ToArray(), parsed.Identity.EncryptionKey.ToArray());
        Assert.Equal(("doctor", "Dr. Ada Lovelace"), (parsed.Role, parsed.Name));
    }

    [Theory]
    [InlineData("name", "Dr. Mallory")]
    [InlineData("role", "admin")]
    public void A_changed_field_fails_the_signature(string field, string value)
    {
        using var key = IdentityKey.Generate();
        var json = JsonNode.Parse(ExportedIdentity.Export(key, "doctor", "Dr. Ada"))!;
        json[field] = value;

        var error = Assert.Throws<CryptoException>(() => ExportedIdentity.Parse(json.ToJsonString()));

        Assert.Equal(CryptoError.AuthenticationFailed, error.Error);
    }

    [Fact]
    public void Keys_swapped_for_another_identitys_fail_on_the_id_or_the_signature()
    {
        using var key = IdentityKey.Generate();
        using var other = IdentityKey.Generate();
        var json = JsonNode.Parse(ExportedIdentity.Export(key, "doctor", "Dr. Ada"))!;
        json["signingKey"] = Convert.ToHexStringLower(other.Public.SigningKey);

        Assert.Throws<CryptoException>(() => ExportedIdentity.Parse(json.ToJsonString()));
        json["id"] = other.Id.ToString();
        Assert.Equal(CryptoError.AuthenticationFailed, Assert.Throws<CryptoException>(() => ExportedIdentity.Parse(json.ToJsonString())).Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("[1,2]")]
    [InlineData("{\"format\":\"healthblock-identity/1\"}")]
    [InlineData("{\"format\":\"healthblock-identity/1\",\"id\":\"x\",\"role\":\"doctor\",\"name\":\"n\",\"signingKey\":\"zz\",\"encryptionKey\":\"00\",\"signature\":\"00\"}")]
    public void Malformed_exports_are_refused_with_a_crypto_error(string json) =>
        Assert.Throws<CryptoException>(() => ExportedIdentity.Parse(json));
}
