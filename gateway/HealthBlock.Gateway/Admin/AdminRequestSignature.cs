using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HealthBlock.Crypto;

namespace HealthBlock.Gateway.Admin;

/// <summary>
/// How a request to the admin endpoint is signed by the patient's identity key. The signed message is the
/// concatenation of six length-prefixed fields (each: its UTF-8 byte length as a 32-bit big-endian integer, then the
/// bytes):
/// <c>"HB-ADMIN-1"</c>, the HTTP method in capitals, the path and query exactly as sent, the time in Unix milliseconds
/// (decimal), the request nonce (32 lowercase hex digits, random per request), and the lowercase hex SHA-256 of the
/// body (of the empty string when there is none). The signature is ECDSA P-256 (FIPS 186-5) over the SHA-256 digest
/// of that message, r ‖ s (64 bytes), in base64 — the same key and scheme that sign the patient's ledger
/// transactions; the "HB-ADMIN-1" prefix keeps the two apart (a transaction's signed bytes are a CBOR map, which
/// never starts with this prefix).
/// </summary>
public static class AdminRequestSignature
{
    /// <summary>The header with the request time (Unix ms).</summary>
    public const string TimeHeader = "HB-Admin-Time";

    /// <summary>The header with the request nonce.</summary>
    public const string NonceHeader = "HB-Admin-Nonce";

    /// <summary>The header with the signature (base64).</summary>
    public const string SignatureHeader = "HB-Admin-Signature";

    private const string Domain = "HB-ADMIN-1";

    /// <summary>The SHA-256 digest that is signed.</summary>
    public static byte[] Digest(string method, string pathAndQuery, long timeMs, string nonce, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        ArgumentNullException.ThrowIfNull(nonce);
        using var message = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        foreach (var field in new[] { Domain, method.ToUpperInvariant(), pathAndQuery, timeMs.ToString(CultureInfo.InvariantCulture), nonce, Convert.ToHexStringLower(SHA256.HashData(body)) })
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
            message.Write(length);
            message.Write(bytes);
        }

        return SHA256.HashData(message.ToArray());
    }

    /// <summary>A fresh request nonce.</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Signs a request with the patient's key; returns the base64 signature.</summary>
    public static string Sign(IdentityKey patient, string method, string pathAndQuery, long timeMs, string nonce, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return Convert.ToBase64String(patient.Sign(Digest(method, pathAndQuery, timeMs, nonce, body)));
    }

    /// <summary>True when <paramref name="signature"/> (base64) is the patient's signature of the request.</summary>
    public static bool Verify(PublicIdentity patient, string method, string pathAndQuery, long timeMs, string nonce, ReadOnlySpan<byte> body, string signature)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var bytes = new byte[PublicIdentity.SignatureSize];
        return Convert.TryFromBase64String(signature ?? "", bytes, out var written)
            && written == PublicIdentity.SignatureSize
            && patient.Verify(Digest(method, pathAndQuery, timeMs, nonce, body), bytes);
    }
}
