using HealthBlock.Crypto;

namespace HealthBlock.Ledger;

/// <summary>An initial balance.</summary>
/// <param name="Id">Whose.</param>
/// <param name="Amount">Healthcoin.</param>
public sealed record GenesisBalance(IdentityId Id, ulong Amount);
