using System.Text.Json;
using System.Text.Json.Serialization;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// JSON settings of the ledger HTTP API: camelCase names, enums as strings, identity ids as base32 text,
/// transactions as base64 of their canonical CBOR, public keys as hex.
/// </summary>
public static class LedgerJson
{
    /// <summary>The shared options.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        o.Converters.Add(new IdentityIdConverter());
        o.Converters.Add(new TransactionConverter());
        o.Converters.Add(new PublicIdentityConverter());
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    private sealed class IdentityIdConverter : JsonConverter<IdentityId>
    {
        public override IdentityId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            IdentityId.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("Not an identity id.");

        public override void Write(Utf8JsonWriter writer, IdentityId value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }

    private sealed class TransactionConverter : JsonConverter<Transaction>
    {
        public override Transaction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Transaction.Decode(reader.GetBytesFromBase64());

        public override void Write(Utf8JsonWriter writer, Transaction value, JsonSerializerOptions options) =>
            writer.WriteBase64StringValue(value.Encode());
    }

    private sealed class PublicIdentityConverter : JsonConverter<PublicIdentity>
    {
        public override PublicIdentity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            string? signing = null, encryption = null;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("Expected an object with signingKey and encryptionKey.");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "signingKey":
                        signing = reader.GetString();
                        break;
                    case "encryptionKey":
                        encryption = reader.GetString();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            return new PublicIdentity(Convert.FromHexString(signing ?? ""), Convert.FromHexString(encryption ?? ""));
        }

        public override void Write(Utf8JsonWriter writer, PublicIdentity value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("id", value.Id.ToString());
            writer.WriteString("signingKey", Convert.ToHexStringLower(value.SigningKey));
            writer.WriteString("encryptionKey", Convert.ToHexStringLower(value.EncryptionKey));
            writer.WriteEndObject();
        }
    }
}
