using System.Formats.Cbor;
using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Ledger;

/// <summary>Registers an identity: its two public keys, its role and a display name.</summary>
/// <param name="SigningKey">ECDSA P-256 public key, 65-byte SEC1 point.</param>
/// <param name="EncryptionKey">ECDH P-256 public key for envelopes, 65-byte SEC1 point.</param>
/// <param name="Role">The role granted.</param>
/// <param name="Name">A display name (may be empty).</param>
public sealed record RegisterPayload(byte[] SigningKey, byte[] EncryptionKey, Role Role, string Name) : TransactionPayload
{
    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Register;

    /// <summary>The registered identity.</summary>
    public PublicIdentity Identity() => new(SigningKey, EncryptionKey);

    /// <summary>Builds the payload that registers <paramref name="identity"/>.</summary>
    public static RegisterPayload For(PublicIdentity identity, Role role, string name)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new(identity.SigningKey.ToArray(), identity.EncryptionKey.ToArray(), role, name);
    }

    internal override void Write(CborWriter w)
    {
        w.WriteStartMap(4);
        w.WriteUInt32(0);
        w.WriteByteString(SigningKey);
        w.WriteUInt32(1);
        w.WriteByteString(EncryptionKey);
        w.WriteUInt32(2);
        w.WriteUInt32((byte)Role);
        w.WriteUInt32(3);
        w.WriteTextString(Name);
        w.WriteEndMap();
    }

    internal static RegisterPayload ReadBody(CanonicalReader r)
    {
        r.BeginMap(4, 4);
        r.Key(0);
        var signing = r.Bytes(65);
        r.Key(1);
        var encryption = r.Bytes(65);
        r.Key(2);
        var role = r.Byte();
        if (role is < (byte)Role.Patient or > (byte)Role.Auditor)
        {
            throw r.Invalid($"unknown role {role}");
        }

        r.Key(3);
        var name = r.Text(MaxNameLength);
        r.EndMap();
        return new(signing, encryption, (Role)role, name);
    }
}
