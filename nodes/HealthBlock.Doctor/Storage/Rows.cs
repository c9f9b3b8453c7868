using HealthBlock.Crypto;
using HealthBlock.Protocol.Content;

namespace HealthBlock.Doctor.Storage;

/// <summary>An IoT transaction to diagnose.</summary>
internal sealed record IotItem(string TxId, long Order, IdentityId Patient, uint Epoch, ulong Batch, Cid Cid, long WindowStartMs, long WindowEndMs);

/// <summary>What the doctor knows about a patient.</summary>
/// <param name="Patient">The patient.</param>
/// <param name="Authorised">True while the patient's latest key transaction names this doctor.</param>
/// <param name="Epoch">The epoch of the patient's latest key transaction.</param>
/// <param name="Refused">True after the ledger refused a diagnosis as not authorised (cleared by a new key transaction naming the doctor).</param>
internal sealed record PatientRow(IdentityId Patient, bool Authorised, uint Epoch, bool Refused)
{
    /// <summary>True when this doctor may diagnose for the patient now.</summary>
    public bool Served => Authorised && !Refused;
}

/// <summary>A patient's IoT and diagnosis keys of one epoch, as stored (sealed by <see cref="LocalSealer"/>).</summary>
internal sealed record SealedEpochKeys(byte[] SealedIotKey, byte[] SealedDiagnosisKey);

/// <summary>A diagnosis transaction this doctor signed.</summary>
internal sealed record DiagnosisRow(long Number, IdentityId Patient, uint Epoch, string Kind, byte[] Transaction, string TxId, ulong Nonce, string Cid, long? EarliestReadingMs, DiagnosisState State, string? Reason);

/// <summary>Diagnosis counts over the data folder's life.</summary>
/// <param name="Screenings">Committed automated diagnoses.</param>
/// <param name="Notes">Committed clinician notes.</param>
/// <param name="Refusals">Refused diagnoses by reason name.</param>
internal sealed record DiagnosisCounts(long Screenings, long Notes, IReadOnlyDictionary<string, long> Refusals);
