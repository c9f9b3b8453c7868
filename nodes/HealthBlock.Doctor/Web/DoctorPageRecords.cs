using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Frames;
using HealthBlock.Storage;
using HealthBlock.Web;
using HealthBlock.Web.Ecg;

namespace HealthBlock.Doctor.Web;

/// <summary>
/// What the doctor page reads, from the doctor's data folder (the keys its patients granted), the ledger and the
/// content store: patients who granted it at some time, its own diagnoses of each (decrypted with its diagnosis key),
/// each patient's ECG and vitals from the committed batches of the epochs it holds, and sign-off notes published with
/// <see cref="ClinicianNotes"/>. Works beside the running node (it opens the data folder read-only for keys).
/// </summary>
public sealed class DoctorPageRecords : IDoctorRecords, IDisposable
{
    private readonly string _dataFolder;
    private readonly IdentityKey _doctor;
    private readonly ILedger _ledger;
    private readonly IContentStore _store;
    private readonly RecordArchiveOptions _archiveOptions;
    private readonly Dictionary<IdentityId, RecordArchive> _archives = [];
    private readonly Lock _sync = new();

    /// <summary>Creates the records of <paramref name="doctor"/> over its data folder.</summary>
    public DoctorPageRecords(string dataFolder, IdentityKey doctor, ILedger ledger, IContentStore store, RecordArchiveOptions? archive = null)
    {
        ArgumentNullException.ThrowIfNull(dataFolder);
        ArgumentNullException.ThrowIfNull(doctor);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(store);
        _dataFolder = dataFolder;
        _doctor = doctor;
        _ledger = ledger;
        _store = store;
        _archiveOptions = archive ?? new RecordArchiveOptions();
    }

    /// <inheritdoc />
    public string Doctor => _doctor.Id.ToString();

    /// <inheritdoc />
    public async Task<IReadOnlyList<PatientSummary>> PatientsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<IdentityId> patients;
        using (var keys = DoctorRecordKeys.Open(_dataFolder, _doctor))
        {
            patients = keys.Patients;
        }

        var result = new List<PatientSummary>();
        foreach (var patient in patients)
        {
            var onLedger = await GrantedKeysAsync(patient, cancellationToken).ConfigureAwait(false);
            var mine = (await OwnDiagnosesAsync(patient, cancellationToken).ConfigureAwait(false)).Where(d => !d.IsNote).ToList();
            var newest = mine.SelectMany(d => d.Findings.Select(f => (Time: f.EndMs ?? d.WindowEndMs, f.Text))).OrderByDescending(f => f.Time).FirstOrDefault();
            result.Add(new PatientSummary(patient.ToString(), onLedger?.Doctors.Contains(_doctor.Id) ?? false, mine.Count, newest.Text is null ? null : newest.Time, newest.Text));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DiagnosisView>> DiagnosesAsync(string patient, CancellationToken cancellationToken) =>
        await OwnDiagnosesAsync(ParsePatient(patient), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<EcgSeries> EcgAsync(string patient, string device, long fromMs, long toMs, int maxPoints, CancellationToken cancellationToken)
    {
        if (!DeviceFrame.TryParseDeviceId((device ?? "").ToLowerInvariant(), out var id))
        {
            throw new ArgumentException($"device '{device}' is not 16 hex digits");
        }

        return Archive(ParsePatient(patient)).EcgAsync(id, fromMs, toMs, maxPoints, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<VitalSign>> VitalsAsync(string patient, long fromMs, long toMs, CancellationToken cancellationToken) =>
        Archive(ParsePatient(patient)).VitalsAsync(fromMs, toMs, cancellationToken);

    /// <inheritdoc />
    public async Task<CommittedAction> AddNoteAsync(string diagnosis, string text, CancellationToken cancellationToken)
    {
        try
        {
            var note = await ClinicianNotes.PublishAsync(_dataFolder, _doctor, _ledger, _store, diagnosis, text, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new CommittedAction($"note on diagnosis {diagnosis[..Math.Min(12, diagnosis.Length)]}…", note.TransactionId, note.Location.ToString());
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or LedgerRejectedException)
        {
            throw new PageActionException(e.Message, e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_sync)
        {
            foreach (var archive in _archives.Values)
            {
                archive.Dispose();
            }

            _archives.Clear();
        }
    }

    /// <summary>The patient's key state, or null when the ledger refuses it to this doctor (the patient no longer grants it).</summary>
    private async Task<PatientKeys?> GrantedKeysAsync(IdentityId patient, CancellationToken cancellationToken)
    {
        try
        {
            return await _ledger.GetPatientKeysAsync(patient, cancellationToken).ConfigureAwait(false);
        }
        catch (LedgerRejectedException e) when (e.Reason == RejectReason.Forbidden)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<DiagnosisView>> OwnDiagnosesAsync(IdentityId patient, CancellationToken cancellationToken)
    {
        byte[]? key;
        using (var keys = DoctorRecordKeys.Open(_dataFolder, _doctor))
        {
            key = keys.DiagnosisKey(patient);
        }

        // From the doctor's own history: its diagnoses stay on its page after the patient revoked it.
        var read = await PatientDiagnosisReader.ReadByAsync(_ledger, _store, _doctor.Id, patient, key, cancellationToken).ConfigureAwait(false);
        return [.. read.Select(DiagnosisViews.From)];
    }

    private RecordArchive Archive(IdentityId patient)
    {
        lock (_sync)
        {
            if (!_archives.TryGetValue(patient, out var archive))
            {
                // Keys are looked up when a batch is first opened: a grant made after the page started is seen.
                _archives[patient] = archive = new RecordArchive(_ledger, _store, patient, epoch =>
                {
                    using var keys = DoctorRecordKeys.Open(_dataFolder, _doctor);
                    return keys.IotKey(patient, epoch);
                }, _archiveOptions);
            }

            return archive;
        }
    }

    private static IdentityId ParsePatient(string patient) =>
        IdentityId.TryParse(patient, out var id) ? id : throw new ArgumentException($"'{patient}' is not an identity id");
}
