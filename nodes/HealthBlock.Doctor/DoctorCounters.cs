using HealthBlock.Ledger;

namespace HealthBlock.Doctor;

/// <summary>A snapshot of a doctor node's counters. IoT counts are totals over the data folder's life (they survive restarts).</summary>
/// <param name="IotSeen">IoT transactions of patients who authorised this doctor at some time, seen on Userchain.</param>
/// <param name="Diagnosed">IoT transactions covered by a committed diagnosis.</param>
/// <param name="AwaitingPayment">IoT transactions waiting for the patient's paid credit to cover the fee (now).</param>
/// <param name="NotAuthorised">IoT transactions not served: no key for their epoch, revoked, or refused by the ledger.</param>
/// <param name="Failed">IoT transactions given up (block missing, tampered or not decryptable; diagnosis refused for good).</param>
/// <param name="InProgress">IoT transactions pending or in a diagnosis not committed yet.</param>
/// <param name="Diagnoses">Automated diagnoses committed.</param>
/// <param name="Notes">Clinician notes committed.</param>
/// <param name="NotAuthorisedRefusals">Diagnoses the ledger refused with <see cref="RejectReason.DoctorNotAuthorised"/>.</param>
/// <param name="Refusals">Every diagnosis refusal by reason name.</param>
/// <param name="TransientFailures">Failed attempts that were retried (store or ledger unavailable), since start.</param>
/// <param name="UserchainHeight">The next Userchain height to handle (the persisted cursor).</param>
public sealed record DoctorCounters(
    long IotSeen,
    long Diagnosed,
    long AwaitingPayment,
    long NotAuthorised,
    long Failed,
    long InProgress,
    long Diagnoses,
    long Notes,
    long NotAuthorisedRefusals,
    IReadOnlyDictionary<string, long> Refusals,
    long TransientFailures,
    ulong UserchainHeight);
