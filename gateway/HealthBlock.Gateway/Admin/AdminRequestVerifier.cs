using System.Globalization;
using HealthBlock.Crypto;

namespace HealthBlock.Gateway.Admin;

/// <summary>
/// Checks admin requests: the headers of <see cref="AdminRequestSignature"/> are present and well formed, the time is
/// within <see cref="FreshnessWindow"/> of the gateway's clock, the nonce was not seen before (nonces are remembered
/// until their request could no longer be fresh, so a captured request cannot be replayed), and the signature verifies
/// under the patient's public key. Safe for concurrent use.
/// </summary>
public sealed class AdminRequestVerifier
{
    /// <summary>Most nonces remembered at once; beyond it requests are refused until old ones expire.</summary>
    public const int MaxRemembered = 100_000;

    private readonly PublicIdentity _patient;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, long> _seen = [];
    private readonly Lock _lock = new();

    /// <summary>A verifier for <paramref name="patient"/>'s requests.</summary>
    public AdminRequestVerifier(PublicIdentity patient, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        _patient = patient;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How far a request's time may be from the gateway's clock (60 s).</summary>
    public TimeSpan FreshnessWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks a request; returns null when it is authentic and fresh, else why not.</summary>
    public string? Check(string method, string pathAndQuery, string? time, string? nonce, string? signature, ReadOnlySpan<byte> body)
    {
        if (time is null || nonce is null || signature is null)
        {
            return $"missing {AdminRequestSignature.TimeHeader}, {AdminRequestSignature.NonceHeader} or {AdminRequestSignature.SignatureHeader}";
        }

        if (!long.TryParse(time, NumberStyles.None, CultureInfo.InvariantCulture, out var timeMs))
        {
            return "the request time is not a number";
        }

        if (nonce.Length != 32 || !nonce.All(char.IsAsciiHexDigitLower))
        {
            return "the nonce is not 32 lowercase hex digits";
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var window = (long)FreshnessWindow.TotalMilliseconds;
        if (Math.Abs(now - timeMs) > window)
        {
            return "the request is not fresh (check the clocks)";
        }

        if (!AdminRequestSignature.Verify(_patient, method, pathAndQuery, timeMs, nonce, body, signature))
        {
            return "the signature does not verify under the patient's key";
        }

        lock (_lock)
        {
            if (_seen.Count >= 1024)
            {
                foreach (var expired in _seen.Where(s => s.Value < now).Select(s => s.Key).ToList())
                {
                    _seen.Remove(expired);
                }
            }

            if (_seen.Count >= MaxRemembered)
            {
                return "too many requests in the freshness window";
            }

            // Remembered until no clock within the window could call the request fresh again.
            return _seen.TryAdd(nonce, timeMs + window) ? null : "the nonce was used before (a replayed request)";
        }
    }
}
