using System.Formats.Cbor;
using System.Security.Cryptography;
using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// A signed transaction: canonical CBOR array <c>[body bytes, signature]</c>. The id is SHA-256 of the body bytes;
/// the signature is ECDSA P-256 (IEEE P1363, 64 bytes) over the id.
/// </summary>
public sealed class Transaction
{
    /// <summary>Largest encoded transaction accepted.</summary>
    public const int MaxSize = 64 * 1024;

    private readonly byte[] _bodyBytes;
    private readonly byte[] _signature;
    private readonly byte[] _id;
    private byte[]? _encoded;

    private Transaction(TransactionBody body, byte[] bodyBytes, byte[] signature)
    {
        Body = body;
        _bodyBytes = bodyBytes;
        _signature = signature;
        _id = SHA256.HashData(bodyBytes);
    }

    /// <summary>The decoded body.</summary>
    public TransactionBody Body { get; }

    /// <summary>The canonical body bytes that were signed.</summary>
    public ReadOnlySpan<byte> BodyBytes => _bodyBytes;

    /// <summary>The signature over <see cref="Id"/>.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The transaction id (SHA-256 of the body bytes).</summary>
    public ReadOnlySpan<byte> Id => _id;

    /// <summary>A copy of the id.</summary>
    public byte[] IdBytes => (byte[])_id.Clone();

    /// <summary>The id as lowercase hex.</summary>
    public string IdHex => Convert.ToHexStringLower(_id);

    /// <summary>Signs <paramref name="body"/> with <paramref name="key"/>, which must be the body's signer.</summary>
    public static Transaction Sign(TransactionBody body, IdentityKey key)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(key);
        if (body.Signer != key.Id)
        {
            throw new ArgumentException($"The body names signer {body.Signer} but the key is {key.Id}.", nameof(key));
        }

        var bytes = body.Encode();
        var id = SHA256.HashData(bytes);
        return new Transaction(body, bytes, key.Sign(id));
    }

    /// <summary>True when the signature verifies under <paramref name="signer"/> and the signer is the body's signer.</summary>
    public bool VerifySignature(PublicIdentity signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return signer.Id == Body.Signer && signer.Verify(_id, _signature);
    }

    /// <summary>True when the signature verifies under an already-imported verifier of the signer's key.</summary>
    public bool VerifySignature(ECDsa verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return verifier.VerifyHash(_id, _signature);
    }

    /// <summary>The canonical encoding of the signed transaction.</summary>
    public byte[] Encode()
    {
        if (_encoded is null)
        {
            var w = CanonicalCbor.NewWriter();
            WriteTo(w);
            _encoded = w.Encode();
        }

        return (byte[])_encoded.Clone();
    }

    internal void WriteTo(CborWriter w)
    {
        w.WriteStartArray(2);
        w.WriteByteString(_bodyBytes);
        w.WriteByteString(_signature);
        w.WriteEndArray();
    }

    /// <summary>Decodes a signed transaction (the signature is not verified here).</summary>
    /// <exception cref="ProtocolException">Malformed or non-canonical.</exception>
    public static Transaction Decode(ReadOnlyMemory<byte> data)
    {
        if (data.Length > MaxSize)
        {
            throw new ProtocolException(ProtocolError.InvalidField, $"A transaction is at most {MaxSize} bytes; got {data.Length}.");
        }

        return CanonicalCbor.Decode(data, "transaction", Read);
    }

    internal static Transaction Read(CanonicalReader r)
    {
        if (r.BeginArray(2) != 2)
        {
            throw r.Invalid("a signed transaction is [body, signature]");
        }

        var body = r.BytesUpTo(MaxSize);
        var signature = r.Bytes(PublicIdentity.SignatureSize);
        r.EndArray();
        return new Transaction(TransactionBody.Decode(body), body, signature);
    }
}
