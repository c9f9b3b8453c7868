using HealthBlock.Crypto;

namespace HealthBlock.Doctor.Storage;

/// <summary>One change the ledger's Userchain brings, as the doctor records it.</summary>
internal abstract record IngestOp;

/// <summary>A key transaction names this doctor: its sealed keys for the epoch.</summary>
internal sealed record KeyGrantedOp(IdentityId Patient, uint Epoch, byte[] SealedIotKey, byte[] SealedDiagnosisKey, string KeyTxId) : IngestOp;

/// <summary>A key transaction of a patient does not name this doctor (or its envelopes did not open).</summary>
internal sealed record KeyWithdrawnOp(IdentityId Patient, uint Epoch, string Reason) : IngestOp;

/// <summary>An IoT transaction.</summary>
internal sealed record IotOp(IotItem Item) : IngestOp;

/// <summary>A payment from a patient to this doctor: it adds to the patient's credit.</summary>
internal sealed record PaymentOp(IdentityId Patient, string TxId, ulong Amount) : IngestOp;

/// <summary>What ingesting a block changed.</summary>
/// <param name="Schedule">Patients with IoT transactions now pending.</param>
/// <param name="Delta">State counts.</param>
/// <param name="Withdrawn">Known patients whose key transaction no longer names this doctor.</param>
internal sealed record IngestResult(IReadOnlyCollection<IdentityId> Schedule, StateDelta Delta, IReadOnlyCollection<IdentityId> Withdrawn);
