namespace HealthBlock.Web;

/// <summary>
/// What the patient page reads and does, implemented by the patient's gateway (which holds the patient's keys). Every
/// call may reach the ledger or the content store; refusals of actions are <see cref="PageActionException"/>.
/// </summary>
public interface IPatientRecords
{
    /// <summary>The patient's identity id.</summary>
    string Patient { get; }

    /// <summary>Every device ever paired, with its last frame.</summary>
    Task<IReadOnlyList<DeviceView>> DevicesAsync(CancellationToken cancellationToken);

    /// <summary>The newest ECG of <paramref name="device"/> (raw, with R peaks), <paramref name="seconds"/> long, including frames not yet in a batch.</summary>
    Task<EcgSeries> LiveEcgAsync(string device, int seconds, CancellationToken cancellationToken);

    /// <summary>The ECG of <paramref name="device"/> in [<paramref name="fromMs"/>, <paramref name="toMs"/>), at most <paramref name="maxPoints"/> points.</summary>
    Task<EcgSeries> EcgAsync(string device, long fromMs, long toMs, int maxPoints, CancellationToken cancellationToken);

    /// <summary>Blood pressure and temperature readings in [<paramref name="fromMs"/>, <paramref name="toMs"/>).</summary>
    Task<IReadOnlyList<VitalSign>> VitalsAsync(long fromMs, long toMs, CancellationToken cancellationToken);

    /// <summary>Every diagnosis about the patient, decrypted with the diagnosis keys the patient issued, in ledger order.</summary>
    Task<IReadOnlyList<DiagnosisView>> DiagnosesAsync(CancellationToken cancellationToken);

    /// <summary>Every doctor the patient ever granted, with grant time, epoch and credit.</summary>
    Task<IReadOnlyList<DoctorView>> DoctorsAsync(CancellationToken cancellationToken);

    /// <summary>Every key transaction, payment and diagnosis concerning the patient, in time order.</summary>
    Task<IReadOnlyList<TrailEntry>> TrailAsync(CancellationToken cancellationToken);

    /// <summary>Grants a doctor (a key transaction) and returns it once committed.</summary>
    Task<CommittedAction> GrantAsync(string doctor, CancellationToken cancellationToken);

    /// <summary>Revokes a doctor (a key transaction) and returns it once committed.</summary>
    Task<CommittedAction> RevokeAsync(string doctor, CancellationToken cancellationToken);

    /// <summary>Pays a doctor <paramref name="amount"/> Healthcoin and returns the payment once committed.</summary>
    Task<CommittedAction> PayAsync(string doctor, ulong amount, CancellationToken cancellationToken);
}
