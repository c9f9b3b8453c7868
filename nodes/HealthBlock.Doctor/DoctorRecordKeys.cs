using HealthBlock.Crypto;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;

namespace HealthBlock.Doctor;

/// <summary>
/// The keys a doctor's data folder holds, opened for reading its patients' records outside the running node (an
/// export, a page): the IoT keys of the epochs each patient granted, and the doctor's diagnosis keys. Read-only.
/// </summary>
public sealed class DoctorRecordKeys : IDisposable
{
    private readonly DoctorDatabase _database;
    private readonly PatientKeyring _keyring;
    private readonly IReadOnlyDictionary<IdentityId, uint[]> _epochs;

    private DoctorRecordKeys(DoctorDatabase database, PatientKeyring keyring)
    {
        _database = database;
        _keyring = keyring;
        _epochs = database.Patients.KeyedEpochs();
    }

    /// <summary>Opens the data folder of <paramref name="doctor"/>.</summary>
    /// <exception cref="InvalidOperationException">The folder belongs to another doctor.</exception>
    public static DoctorRecordKeys Open(string dataFolder, IdentityKey doctor)
    {
        var database = DoctorDatabase.Open(dataFolder);
        try
        {
            return new DoctorRecordKeys(database, new PatientKeyring(database, LocalSealer.Open(database, doctor)));
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>The patients whose keys this doctor holds (patients who granted it at some time), in id order.</summary>
    public IReadOnlyList<IdentityId> Patients => [.. _epochs.Keys.Order()];

    /// <summary>The IoT key of <paramref name="patient"/>'s <paramref name="epoch"/>, or null when it was not granted.</summary>
    /// <exception cref="CryptoException">A sealed key was altered.</exception>
    public byte[]? IotKey(IdentityId patient, uint epoch) => _keyring.Open(patient, epoch)?.IotKey;

    /// <summary>This doctor's diagnosis key for <paramref name="patient"/> (of the latest epoch it holds), or null.</summary>
    /// <exception cref="CryptoException">A sealed key was altered.</exception>
    public byte[]? DiagnosisKey(IdentityId patient) =>
        _epochs.TryGetValue(patient, out var epochs) ? _keyring.Open(patient, epochs[^1])?.DiagnosisKey : null;

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();
}
