using System.Globalization;

namespace HealthBlock.Crypto.Requests;

/// <summary>
/// Checks requests of a <see cref="SignedRequestScheme"/>: the headers are present and well formed, the time is within
/// <see cref="FreshnessWindow"/> of this clock, the signature verifies under the signer's public key, and the nonce was
/// not seen before (nonces are remembered until their request could no longer be fresh, at most
/// <see cref="MaxRemembered"/> at once, so a captured request cannot be replayed and the memory stays bounded). Safe
/// for concurrent use.
/// </summary>
public sealed class SignedRequestVerifier
{
    /// <summary>Most nonces remembered at once; beyond it requests are refused until old ones expire.</summary>
    public const int MaxRemembered = 100_000;

    private readonly SignedRequestScheme _scheme;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, long> _seen = [];
    private readonly Lock _lock = new();

    /// <summary>A verifier of <paramref name="scheme"/>'s requests against <paramref name="time"/> (default: the system clock).</summary>
    public SignedRequestVerifier(SignedRequestScheme scheme, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        _scheme = scheme;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How far a request's time may be from this clock (60 s unless set).</summary>
    public TimeSpan FreshnessWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks a request signed by <paramref name="signer"/>; returns null when it is authentic, fresh and new, else why not.</summary>
    public SignedRequestRefusal? Check(PublicIdentity signer, string method, string pathAndQuery, string? time, string? nonce, string? signature, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (time is null || nonce is null || signature is null)
        {
            return new(SignedRequestFault.Unsigned, $"missing {_scheme.TimeHeader}, {_scheme.NonceHeader} or {_scheme.SignatureHeader}");
        }

        if (!long.TryParse(time, NumberStyles.None, CultureInfo.InvariantCulture, out var timeMs))
        {
            return new(SignedRequestFault.Malformed, "the request time is not a number");
        }

        if (nonce.Length != 32 || !nonce.All(char.IsAsciiHexDigitLower))
        {
            return new(SignedRequestFault.Malformed, "the nonce is not 32 lowercase hex digits");
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var window = (long)FreshnessWindow.TotalMilliseconds;
        if (Math.Abs(now - timeMs) > window)
        {
            return new(SignedRequestFault.Stale, "the request is not fresh (check the clocks)");
        }

        if (!_scheme.Verify(signer, method, pathAndQuery, timeMs, nonce, body, signature))
        {
            return new(SignedRequestFault.BadSignature, "the signature does not verify under the signer's key");
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
                return new(SignedRequestFault.Overloaded, "too many requests in the freshness window");
            }

            // Remembered until no clock within the window could call the request fresh again.
            return _seen.TryAdd(nonce, timeMs + window) ? null : new(SignedRequestFault.Replayed, "the nonce was used before (a replayed request)");
        }
    }
}
