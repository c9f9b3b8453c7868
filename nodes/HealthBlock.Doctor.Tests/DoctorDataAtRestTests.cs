using HealthBlock.Crypto;
using HealthBlock.Doctor.Storage;
using Xunit.Abstractions;

namespace HealthBlock.Doctor.Tests;

/// <summary>
/// Threat D1 of docs/security.md: whoever copies a doctor's data folder learns no patient key from it. A real doctor
/// node opens a patient's envelopes and diagnoses; its database files are then read raw while it runs and after it
/// stopped. The folder is bound to its doctor.
/// </summary>
public sealed class DoctorDataAtRestTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] DatabaseFiles = [DoctorDatabase.FileName, DoctorDatabase.FileName + "-wal", DoctorDatabase.FileName + "-shm"];
    private DoctorWorld _world = null!;

    public async Task InitializeAsync() => _world = await DoctorWorld.StartAsync(output);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task After_diagnosing_the_database_files_hold_no_patient_key_nor_the_local_key_in_clear_and_are_owner_only()
    {
        var doctorKey = await _world.RegisterDoctorAsync("Dr. At Rest");
        var patient = await _world.AddScriptedPatientAsync();
        await patient.GrantAsync(doctorKey);
        await patient.PayAsync(doctorKey.Id, _world.Fee);
        await patient.PublishAsync(Signals.NowMs(), 3700, 3705);
        var node = await _world.StartDoctorAsync(doctorKey);
        await Eventually.WaitUntilAsync(() => node.Counters.Diagnosed == 1 && node.Counters.Diagnoses == 1, "the batch diagnosed");

        var folder = _world.DoctorFolder(doctorKey);
        byte[] localKey, sealedIotKey;
        using (var db = DoctorDatabase.Open(folder))
        {
            localKey = Envelope.Open(doctorKey, 0, EnvelopePurpose.LocalKey, db.Counters.GetMeta("local_key_envelope")!);
            sealedIotKey = db.Patients.GetKeys(patient.Id, patient.Epoch)!.SealedIotKey;
        }

        // The folder really holds this patient's keys (sealed): the doctor's own reader opens them to the patient's.
        using (var keys = DoctorRecordKeys.Open(folder, doctorKey))
        {
            Assert.Equal(patient.IotKey, keys.IotKey(patient.Id, patient.Epoch));
            Assert.Equal(patient.DiagnosisKeyOf(doctorKey.Id), keys.DiagnosisKey(patient.Id));
        }

        byte[][] secrets = [patient.IotKey, patient.DiagnosisKeyOf(doctorKey.Id)!, localKey];
        var running = SqliteFiles.Read(folder, DoctorDatabase.FileName);
        Assert.Equal(DatabaseFiles, running.Select(f => f.Name));
        Assert.All(running, file => Assert.NotEmpty(file.Bytes));

        // The scan sees what the tables hold: the sealed IoT key is in the database or its WAL.
        Assert.Contains(running, file => file.Bytes.AsSpan().IndexOf(sealedIotKey) >= 0);
        AssertHoldsNone(running, secrets);
        foreach (var file in DatabaseFiles)
        {
            Assert.Equal((file, UnixFileMode.UserRead | UnixFileMode.UserWrite), (file, File.GetUnixFileMode(Path.Combine(folder, file))));
        }

        await _world.StopDoctorAsync(node);
        var stopped = SqliteFiles.Read(folder, DoctorDatabase.FileName);
        Assert.Contains(stopped, file => file.Bytes.AsSpan().IndexOf(sealedIotKey) >= 0);
        AssertHoldsNone(stopped, secrets);
    }

    [Fact]
    public async Task A_data_folder_opened_with_another_doctors_key_is_refused_naming_both_doctors()
    {
        var owner = await _world.RegisterDoctorAsync("Dr. Owner");
        var other = await _world.RegisterDoctorAsync("Dr. Other");
        var patient = await _world.AddScriptedPatientAsync();
        await patient.GrantAsync(owner, other);
        var node = await _world.StartDoctorAsync(owner);
        await Eventually.WaitUntilAsync(() => new[] { patient.Id }.SequenceEqual(KeyedPatients(owner)), "the grant recorded");
        await _world.StopDoctorAsync(node);
        var folder = _world.DoctorFolder(owner);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => _world.StartDoctorAsync(other, configure: o => o with { DataFolder = folder }));
        Assert.Equal($"This data folder belongs to doctor {owner.Id}, not to {other.Id}.", refused.Message);
        var byReader = Assert.Throws<InvalidOperationException>(() => DoctorRecordKeys.Open(folder, other));
        Assert.Equal(refused.Message, byReader.Message);

        // With the owner's row removed the other doctor still gets nothing: the local key is an envelope to the owner.
        using (var db = DoctorDatabase.Open(folder))
        {
            db.Write(s => s.Execute("DELETE FROM meta WHERE name = 'doctor_id'"));
        }

        var stripped = Assert.Throws<InvalidOperationException>(() => DoctorRecordKeys.Open(folder, other));
        Assert.StartsWith($"The local key envelope of this data folder does not open with doctor {other.Id}'s key", stripped.Message, StringComparison.Ordinal);
        Assert.IsType<CryptoException>(stripped.InnerException);
        using var keys = DoctorRecordKeys.Open(folder, owner);
        Assert.Equal(patient.IotKey, keys.IotKey(patient.Id, patient.Epoch));
    }

    private List<IdentityId> KeyedPatients(IdentityKey doctor)
    {
        using var db = DoctorDatabase.Open(_world.DoctorFolder(doctor));
        return [.. db.Patients.KeyedEpochs().Keys];
    }

    private static void AssertHoldsNone(IEnumerable<(string Name, byte[] Bytes)> files, byte[][] secrets)
    {
        foreach (var (name, bytes) in files)
        {
            for (var i = 0; i < secrets.Length; i++)
            {
                Assert.True(secrets[i].Length == 32, $"secret {i} is a 32-byte key");
                Assert.True(bytes.AsSpan().IndexOf(secrets[i]) < 0, $"{name} holds secret {i} (0 IoT key, 1 diagnosis key, 2 local key) in clear");
            }
        }
    }
}
