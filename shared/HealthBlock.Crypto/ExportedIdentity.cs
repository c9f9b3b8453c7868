using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HealthBlock.Crypto;

/// <summary>
/// The public part of an identity as its owner hands it to an admin for registration: both public keys, the role and
/// name asked for, and the owner's signature over all of it (proof that whoever exported it holds the private key, and
/// that nothing was changed on the way). JSON, <c>healthblock-identity/1</c>.
/// </summary>
/// <remarks>
/// The signature is ECDSA P-256 over SHA-256 of <c>"healthblock-identity/1" 0x00</c> followed by each field as a
/// 4-byte big-endian length and its bytes, in this order: signing key, encryption key, role (UTF-8), name (UTF-8).
/// </remarks>
public sealed record ExportedIdentity
{
    /// <summary>The format name written and accepted.</summary>
    public const string CurrentFormat = "healthblock-identity/1";

    /// <summary>Most characters of a name.</summary>
    public const int MaxNameLength = 200;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private ExportedIdentity(PublicIdentity identity, string role, string name)
    {
        Identity = identity;
        Role = role;
        Name = name;
    }

    /// <summary>The public keys.</summary>
    public PublicIdentity Identity { get; }

    /// <summary>The role the owner asks for (patient, doctor, admin, …).</summary>
    public string Role { get; }

    /// <summary>The name the owner asks to be registered under.</summary>
    public string Name { get; }

    /// <summary>Exports <paramref name="key"/>'s public part with a role and name, signed by the key.</summary>
    public static string Export(IdentityKey key, string role, string name)
    {
        ArgumentNullException.ThrowIfNull(key);
        Check(role, name);
        var signature = key.Sign(Digest(key.Public, role, name));
        return JsonSerializer.Serialize(
            new Document(CurrentFormat, key.Id.ToString(), role, name, Convert.ToHexStringLower(key.Public.SigningKey), Convert.ToHexStringLower(key.Public.EncryptionKey), Convert.ToHexStringLower(signature)),
            Json);
    }

    /// <summary>Parses an export and checks its format, keys, id and signature.</summary>
    /// <exception cref="CryptoException">Anything is malformed, or the signature does not verify.</exception>
    public static ExportedIdentity Parse(string json)
    {
        Document? d;
        try
        {
            d = JsonSerializer.Deserialize<Document>(json, Json);
        }
        catch (JsonException e)
        {
            throw new CryptoException(CryptoError.InvalidArgument, $"not an exported identity: {e.Message}", e);
        }

        if (d is null || d.Format != CurrentFormat)
        {
            throw new CryptoException(CryptoError.InvalidArgument, $"not an exported identity: the format is '{d?.Format}', expected {CurrentFormat}");
        }

        if (d.Role is null || d.Name is null || d.SigningKey is null || d.EncryptionKey is null || d.Signature is null || d.Id is null)
        {
            throw new CryptoException(CryptoError.InvalidArgument, "the exported identity lacks a field (id, role, name, signingKey, encryptionKey, signature)");
        }

        Check(d.Role, d.Name);
        var identity = new PublicIdentity(Hex(d.SigningKey, "signingKey"), Hex(d.EncryptionKey, "encryptionKey"));
        if (identity.Id.ToString() != d.Id)
        {
            throw new CryptoException(CryptoError.InvalidKey, $"the exported id {d.Id} is not the id of its signing key ({identity.Id})");
        }

        if (!identity.Verify(Digest(identity, d.Role, d.Name), Hex(d.Signature, "signature")))
        {
            throw new CryptoException(CryptoError.AuthenticationFailed, $"the signature of the exported identity {d.Id} does not verify: it was changed, or not made by the key's owner");
        }

        return new ExportedIdentity(identity, d.Role, d.Name);
    }

    private static void Check(string role, string name)
    {
        if (string.IsNullOrWhiteSpace(role) || role.Length > 32)
        {
            throw new CryptoException(CryptoError.InvalidArgument, "the role is empty or longer than 32 characters");
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            throw new CryptoException(CryptoError.InvalidArgument, $"the name is empty or longer than {MaxNameLength} characters");
        }
    }

    private static byte[] Hex(string text, string field)
    {
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException e)
        {
            throw new CryptoException(CryptoError.InvalidArgument, $"{field} is not hexadecimal", e);
        }
    }

    private static byte[] Digest(PublicIdentity identity, string role, string name)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.ASCII.GetBytes(CurrentFormat + "\0"));
        Append(hash, identity.SigningKey);
        Append(hash, identity.EncryptionKey);
        Append(hash, Encoding.UTF8.GetBytes(role));
        Append(hash, Encoding.UTF8.GetBytes(name));
        return hash.GetHashAndReset();
    }

    private static void Append(IncrementalHash hash, ReadOnlySpan<byte> field)
    {
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, field.Length);
        hash.AppendData(length);
        hash.AppendData(field);
    }

    private sealed record Document(
        [property: JsonPropertyName("format")] string? Format,
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("role")] string? Role,
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("signingKey")] string? SigningKey,
        [property: JsonPropertyName("encryptionKey")] string? EncryptionKey,
        [property: JsonPropertyName("signature")] string? Signature);
}
