using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HealthBlock.Crypto.Requests;

/// <summary>
/// HTTP requests signed by an identity key. The signed message is the concatenation of six length-prefixed fields
/// (each: its UTF-8 byte length as a 32-bit big-endian integer, then the bytes): the scheme's <see cref="Domain"/>, the
/// HTTP method in capitals, the path and query exactly as sent, the time in Unix milliseconds (decimal), the request
/// nonce (32 lowercase hex digits, random per request), and the lowercase hex SHA-256 of the body (of the empty string
/// when there is none). The signature is ECDSA P-256 (FIPS 186-5) over the SHA-256 digest of that message, r ‖ s (64
/// bytes), in base64 — the key and scheme that sign ledger transactions; the domain keeps the two apart (a
/// transaction's signed bytes are a CBOR map, which never starts with a 4-byte length prefix of an ASCII domain) and
/// keeps one use of requests apart from another (a signed admin request is no signed ledger read).
/// </summary>
/// <remarks>
/// A scheme with a caller header (<see cref="CallerHeader"/>) serves many identities: the header names the identity
/// id whose registered key the verifier checks the signature under. The id is derived from that key, so a signature
/// verifies for one caller only and the header needs no place in the signed message.
/// </remarks>
public sealed class SignedRequestScheme
{
    /// <summary>
    /// A scheme signing under <paramref name="domain"/> with headers <c>{headerPrefix}-Time</c>, <c>-Nonce</c>,
    /// <c>-Signature</c> and, when <paramref name="withCaller"/>, <c>-Caller</c>.
    /// </summary>
    public SignedRequestScheme(string domain, string headerPrefix, bool withCaller)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        ArgumentException.ThrowIfNullOrWhiteSpace(headerPrefix);
        Domain = domain;
        TimeHeader = headerPrefix + "-Time";
        NonceHeader = headerPrefix + "-Nonce";
        SignatureHeader = headerPrefix + "-Signature";
        CallerHeader = withCaller ? headerPrefix + "-Caller" : null;
    }

    /// <summary>The first field of every signed message.</summary>
    public string Domain { get; }

    /// <summary>The header with the request time (Unix ms).</summary>
    public string TimeHeader { get; }

    /// <summary>The header with the request nonce.</summary>
    public string NonceHeader { get; }

    /// <summary>The header with the signature (base64).</summary>
    public string SignatureHeader { get; }

    /// <summary>The header naming the caller's identity id, or null for a scheme with one fixed signer.</summary>
    public string? CallerHeader { get; }

    /// <summary>A fresh request nonce.</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The SHA-256 digest that is signed.</summary>
    public byte[] Digest(string method, string pathAndQuery, long timeMs, string nonce, ReadOnlySpan<byte> body)
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

    /// <summary>Signs a request with <paramref name="signer"/>; returns the base64 signature.</summary>
    public string Sign(IdentityKey signer, string method, string pathAndQuery, long timeMs, string nonce, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return Convert.ToBase64String(signer.Sign(Digest(method, pathAndQuery, timeMs, nonce, body)));
    }

    /// <summary>
    /// The headers of a request signed now by <paramref name="signer"/> with a fresh nonce: time, nonce, signature and,
    /// for a scheme with one, the caller.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers(IdentityKey signer, string method, string pathAndQuery, long timeMs, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var nonce = NewNonce();
        var headers = new List<KeyValuePair<string, string>>(4)
        {
            new(TimeHeader, timeMs.ToString(CultureInfo.InvariantCulture)),
            new(NonceHeader, nonce),
            new(SignatureHeader, Sign(signer, method, pathAndQuery, timeMs, nonce, body)),
        };
        if (CallerHeader is not null)
        {
            headers.Add(new(CallerHeader, signer.Id.ToString()));
        }

        return headers;
    }

    /// <summary>True when <paramref name="signature"/> (base64) is <paramref name="signer"/>'s signature of the request.</summary>
    public bool Verify(PublicIdentity signer, string method, string pathAndQuery, long timeMs, string nonce, ReadOnlySpan<byte> body, string signature)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var bytes = new byte[PublicIdentity.SignatureSize];
        return Convert.TryFromBase64String(signature ?? "", bytes, out var written)
            && written == PublicIdentity.SignatureSize
            && CachedVerifiers.Verify(signer, Digest(method, pathAndQuery, timeMs, nonce, body), bytes);
    }
}
