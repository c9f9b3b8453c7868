using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>An identity named by the genesis.</summary>
/// <param name="Role">Its role.</param>
/// <param name="Name">Display name.</param>
/// <param name="Keys">Its public keys.</param>
public sealed record GenesisIdentity(Role Role, string Name, PublicIdentity Keys);
