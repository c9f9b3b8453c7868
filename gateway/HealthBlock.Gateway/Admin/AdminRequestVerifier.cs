using HealthBlock.Crypto;
using HealthBlock.Crypto.Requests;

namespace HealthBlock.Gateway.Admin;

/// <summary>
/// Checks admin requests (<see cref="AdminRequestSignature"/>) with a <see cref="SignedRequestVerifier"/> under the
/// patient's public key: signed, fresh within 60 s, not replayed. Safe for concurrent use.
/// </summary>
/// <param name="patient">The patient whose key signs admin requests.</param>
/// <param name="time">The gateway's clock.</param>
public sealed class AdminRequestVerifier(PublicIdentity patient, TimeProvider? time = null)
{
    private readonly SignedRequestVerifier _verifier = new(AdminRequestSignature.Scheme, time);

    /// <summary>Checks a request; returns null when it is authentic and fresh, else why not.</summary>
    public string? Check(string method, string pathAndQuery, string? time, string? nonce, string? signature, ReadOnlySpan<byte> body) =>
        _verifier.Check(patient, method, pathAndQuery, time, nonce, signature, body)?.Message;
}
