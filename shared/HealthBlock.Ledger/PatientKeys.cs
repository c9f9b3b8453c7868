using HealthBlock.Crypto;

namespace HealthBlock.Ledger;

/// <summary>A patient's key state: the current epoch and who is authorised in it.</summary>
/// <param name="Patient">The patient.</param>
/// <param name="Epoch">Current key epoch (0 before the first key transaction).</param>
/// <param name="Doctors">Doctors authorised in the current epoch (those with an envelope), ascending.</param>
/// <param name="LatestKeyTransaction">Id of the latest key transaction, or null.</param>
/// <param name="LastBatch">The highest IoT batch number published so far, or null.</param>
/// <param name="LastLive">The last live sequence number an IoT transaction of the current epoch committed, or null.</param>
public sealed record PatientKeys(IdentityId Patient, uint Epoch, IReadOnlyList<IdentityId> Doctors, byte[]? LatestKeyTransaction, ulong? LastBatch, ulong? LastLive = null);
