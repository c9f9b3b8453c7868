using System.Security.Cryptography;

namespace HealthBlock.Crypto;

/// <summary>
/// Imported signing keys cached per thread, for checking many signatures of the same signers (importing a P-256 key
/// costs about as much as a verification): transactions, signed requests. Safe for concurrent use: each thread has its
/// own cache of at most <see cref="MaxCached"/> keys.
/// </summary>
public static class CachedVerifiers
{
    /// <summary>Most keys one thread keeps; beyond it the cache starts afresh.</summary>
    public const int MaxCached = 4096;

    [ThreadStatic]
    private static Dictionary<IdentityId, ECDsa>? t_cache;

    /// <summary>The imported key of <paramref name="signer"/>, owned by the cache (do not dispose; use on this thread only).</summary>
    public static ECDsa For(PublicIdentity signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var cache = t_cache ??= [];
        if (!cache.TryGetValue(signer.Id, out var verifier))
        {
            if (cache.Count >= MaxCached)
            {
                foreach (var v in cache.Values)
                {
                    v.Dispose();
                }

                cache.Clear();
            }

            verifier = signer.CreateVerifier();
            cache[signer.Id] = verifier;
        }

        return verifier;
    }

    /// <summary>True when <paramref name="signature"/> (r ‖ s) is <paramref name="signer"/>'s signature of the 32-byte <paramref name="digest"/>.</summary>
    public static bool Verify(PublicIdentity signer, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature) =>
        digest.Length == 32 && signature.Length == PublicIdentity.SignatureSize && For(signer).VerifyHash(digest, signature);
}
