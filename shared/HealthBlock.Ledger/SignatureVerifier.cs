using System.Security.Cryptography;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// Verifies transaction signatures with imported keys cached per thread (importing a P-256 key costs about as much
/// as a verification). Safe for concurrent use: each thread has its own cache.
/// </summary>
internal static class SignatureVerifier
{
    private const int MaxCached = 4096;

    [ThreadStatic]
    private static Dictionary<IdentityId, ECDsa>? t_cache;

    public static bool Verify(PublicIdentity signer, Transaction tx)
    {
        if (signer.Id != tx.Body.Signer)
        {
            return false;
        }

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

        return tx.VerifySignature(verifier);
    }
}
