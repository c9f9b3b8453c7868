using HealthBlock.Crypto;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>A committed transaction's reference to a stored block (<see cref="StoredBlockAudit"/>).</summary>
/// <param name="Cid">The block.</param>
/// <param name="TransactionId">The referencing transaction's id (hex).</param>
/// <param name="What">What the block is: <c>IoT batch</c> or <c>diagnosis document</c>.</param>
/// <param name="Chain">The chain the transaction is committed on.</param>
/// <param name="Height">The height of its block.</param>
/// <param name="Patient">The patient the block is about.</param>
public sealed record StoredBlockReference(Cid Cid, string TransactionId, string What, ChainId Chain, ulong Height, IdentityId Patient);
