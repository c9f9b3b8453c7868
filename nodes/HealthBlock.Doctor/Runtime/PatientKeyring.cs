using HealthBlock.Crypto;
using HealthBlock.Doctor.Storage;

namespace HealthBlock.Doctor.Runtime;

/// <summary>A patient's IoT key and diagnosis key of one epoch, opened.</summary>
/// <param name="IotKey">Opens the patient's IoT batches of the epoch.</param>
/// <param name="DiagnosisKey">Seals this doctor's diagnoses of the epoch.</param>
internal sealed record EpochKeys(byte[] IotKey, byte[] DiagnosisKey);

/// <summary>
/// The patients' keys at rest: each IoT and diagnosis key is sealed by <see cref="LocalSealer"/> under a label naming what
/// it is, the patient and the epoch (its AAD), so sealed keys cannot be swapped between rows.
/// </summary>
internal sealed class PatientKeyring(DoctorDatabase db, LocalSealer sealer)
{
    /// <summary>Seals the keys a key transaction granted, for storage.</summary>
    public (byte[] SealedIotKey, byte[] SealedDiagnosisKey) Seal(IdentityId patient, uint epoch, byte[] iotKey, byte[] diagnosisKey) =>
        (sealer.Seal(iotKey, IotKeyLabel(patient, epoch)), sealer.Seal(diagnosisKey, DiagnosisKeyLabel(patient, epoch)));

    /// <summary>The patient's keys of <paramref name="epoch"/>, or null when the doctor holds none.</summary>
    /// <exception cref="CryptoException">A sealed key was altered or moved to another row (the message names which, the patient and the epoch).</exception>
    public EpochKeys? Open(IdentityId patient, uint epoch) =>
        db.Patients.GetKeys(patient, epoch) is { } keys
            ? new EpochKeys(OpenOne(keys.SealedIotKey, IotKeyLabel(patient, epoch), "IoT", patient, epoch), OpenOne(keys.SealedDiagnosisKey, DiagnosisKeyLabel(patient, epoch), "diagnosis", patient, epoch))
            : null;

    private byte[] OpenOne(byte[] sealedKey, string label, string what, IdentityId patient, uint epoch)
    {
        try
        {
            return sealer.Open(sealedKey, label);
        }
        catch (CryptoException e)
        {
            throw new CryptoException(
                CryptoError.AuthenticationFailed,
                $"The sealed {what} key of patient {patient}, epoch {epoch}, in {DoctorDatabase.FileName} does not open under this data folder's local key: altered at rest or moved from another row",
                e);
        }
    }

    private static string IotKeyLabel(IdentityId patient, uint epoch) => $"iot-key:{patient}:{epoch}";

    private static string DiagnosisKeyLabel(IdentityId patient, uint epoch) => $"diagnosis-key:{patient}:{epoch}";
}
