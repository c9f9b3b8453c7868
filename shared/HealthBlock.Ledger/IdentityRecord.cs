using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>A registered identity.</summary>
/// <param name="Keys">Its public keys (the id is derived from the signing key).</param>
/// <param name="Role">Its role.</param>
/// <param name="Name">Display name.</param>
/// <param name="RegisteredBy">Who registered it: an admin, or the owning patient of a device; null for genesis identities.</param>
public sealed record IdentityRecord(PublicIdentity Keys, Role Role, string Name, IdentityId? RegisteredBy)
{
    /// <summary>The identity id.</summary>
    public IdentityId Id => Keys.Id;
}
