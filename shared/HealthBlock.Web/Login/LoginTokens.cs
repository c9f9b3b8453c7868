using System.Security.Cryptography;

namespace HealthBlock.Web.Login;

/// <summary>
/// One-time login tokens for identities whose key file has no passphrase to type (devnet's demo identities): 32 random
/// bytes (base64url), each redeemable once, within <see cref="Lifetime"/> of being issued. Safe for concurrent use.
/// </summary>
public sealed class LoginTokens
{
    private readonly Dictionary<string, long> _issued = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates an empty set of tokens.</summary>
    /// <param name="lifetime">How long a token stays redeemable (default 15 minutes).</param>
    /// <param name="time">The clock.</param>
    public LoginTokens(TimeSpan? lifetime = null, TimeProvider? time = null)
    {
        Lifetime = lifetime ?? TimeSpan.FromMinutes(15);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How long a token stays redeemable.</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>Issues a new token.</summary>
    public string Issue()
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        lock (_issued)
        {
            _issued[token] = _time.GetUtcNow().ToUnixTimeMilliseconds() + (long)Lifetime.TotalMilliseconds;
        }

        return token;
    }

    /// <summary>Redeems <paramref name="token"/>: true once for a token issued here and not expired; it is gone afterwards.</summary>
    public bool TryRedeem(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        lock (_issued)
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var expired in _issued.Where(t => t.Value < now).Select(t => t.Key).ToList())
            {
                _issued.Remove(expired);
            }

            return _issued.Remove(token);
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
