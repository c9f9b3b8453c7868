using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// Verifies transaction signatures with imported keys cached per thread (<see cref="CachedVerifiers"/>). Safe for
/// concurrent use.
/// </summary>
internal static class SignatureVerifier
{
    public static bool Verify(PublicIdentity signer, Transaction tx) =>
        signer.Id == tx.Body.Signer && tx.VerifySignature(CachedVerifiers.For(signer));
}
