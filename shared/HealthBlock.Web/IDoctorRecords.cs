namespace HealthBlock.Web;

/// <summary>
/// What the doctor page reads and does, implemented by the doctor node (which holds the keys its patients granted).
/// Refusals of actions are <see cref="PageActionException"/>.
/// </summary>
public interface IDoctorRecords
{
    /// <summary>The doctor's identity id.</summary>
    string Doctor { get; }

    /// <summary>The patients who granted this doctor at some time, newest finding first.</summary>
    Task<IReadOnlyList<PatientSummary>> PatientsAsync(CancellationToken cancellationToken);

    /// <summary>This doctor's diagnoses (and notes) about <paramref name="patient"/>, in ledger order.</summary>
    Task<IReadOnlyList<DiagnosisView>> DiagnosesAsync(string patient, CancellationToken cancellationToken);

    /// <summary>The patient's ECG of <paramref name="device"/> in [<paramref name="fromMs"/>, <paramref name="toMs"/>), at most <paramref name="maxPoints"/> points; only epochs this doctor was granted.</summary>
    Task<EcgSeries> EcgAsync(string patient, string device, long fromMs, long toMs, int maxPoints, CancellationToken cancellationToken);

    /// <summary>The patient's blood pressure and temperature in [<paramref name="fromMs"/>, <paramref name="toMs"/>).</summary>
    Task<IReadOnlyList<VitalSign>> VitalsAsync(string patient, long fromMs, long toMs, CancellationToken cancellationToken);

    /// <summary>Publishes the clinician's sign-off note on diagnosis <paramref name="diagnosis"/> and returns it once committed.</summary>
    Task<CommittedAction> AddNoteAsync(string diagnosis, string text, CancellationToken cancellationToken);
}
