using HealthBlock.Crypto;
using HealthBlock.Crypto.Requests;

namespace HealthBlock.Gateway.Admin;

/// <summary>
/// How a request to the admin endpoint is signed by the patient's identity key: <see cref="SignedRequestScheme"/> under
/// the domain <c>"HB-ADMIN-1"</c> with headers <c>HB-Admin-Time</c>, <c>HB-Admin-Nonce</c> and
/// <c>HB-Admin-Signature</c> (no caller header: the endpoint serves one patient).
/// </summary>
public static class AdminRequestSignature
{
    /// <summary>The header with the request time (Unix ms).</summary>
    public const string TimeHeader = "HB-Admin-Time";

    /// <summary>The header with the request nonce.</summary>
    public const string NonceHeader = "HB-Admin-Nonce";

    /// <summary>The header with the signature (base64).</summary>
    public const string SignatureHeader = "HB-Admin-Signature";

    /// <summary>The scheme.</summary>
    public static SignedRequestScheme Scheme { get; } = new("HB-ADMIN-1", "HB-Admin", withCaller: false);

    /// <summary>A fresh request nonce.</summary>
    public static string NewNonce() => SignedRequestScheme.NewNonce();

    /// <summary>Signs a request with the patient's key; returns the base64 signature.</summary>
    public static string Sign(IdentityKey patient, string method, string pathAndQuery, long timeMs, string nonce, ReadOnlySpan<byte> body) =>
        Scheme.Sign(patient, method, pathAndQuery, timeMs, nonce, body);
}
