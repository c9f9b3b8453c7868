using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Fhir;

/// <summary>Where a record is on the ledger: the transaction that carries it and the block that holds that transaction.</summary>
/// <param name="Chain">Userchain for IoT batches, Docchain for diagnoses.</param>
/// <param name="TransactionId">The transaction id, 64 lowercase hex digits (SHA-256 of the body).</param>
/// <param name="BlockHeight">Height of the block that holds it.</param>
/// <param name="BlockHash">The block hash, 64 lowercase hex digits.</param>
/// <param name="BlockTimeMs">The block's time (ms since the Unix epoch): when the ledger recorded the transaction.</param>
public sealed record LedgerOrigin(ChainId Chain, string TransactionId, ulong BlockHeight, string BlockHash, long BlockTimeMs);
