using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>What the transaction index keeps for each committed transaction.</summary>
/// <param name="Location">Where it is.</param>
/// <param name="Type">Its type.</param>
/// <param name="Subject">The patient it is about (IoT: signer; diagnosis: the patient), else the signer.</param>
public readonly record struct TxEntry(TxLocation Location, TransactionType Type, IdentityId Subject);
