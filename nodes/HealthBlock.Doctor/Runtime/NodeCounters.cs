using System.Collections.Concurrent;
using HealthBlock.Doctor.Storage;
using HealthBlock.Ledger;

namespace HealthBlock.Doctor.Runtime;

/// <summary>
/// The running counts behind <see cref="DoctorCounters"/>: IoT counts by state (loaded from the database, then moved by
/// each <see cref="StateDelta"/>), committed diagnoses and notes, refusals by reason, transient failures since start,
/// and the Userchain cursor. Safe for concurrent use.
/// </summary>
internal sealed class NodeCounters
{
    private readonly long[] _iot;
    private readonly ConcurrentDictionary<string, long> _refusals;
    private long _diagnoses;
    private long _notes;
    private long _transientFailures;
    private long _cursor;

    /// <summary>Counts as the database has them.</summary>
    public NodeCounters(DoctorDatabase db)
    {
        ArgumentNullException.ThrowIfNull(db);
        _iot = db.Iot.CountStates();
        var counts = db.Diagnoses.Count();
        _diagnoses = counts.Screenings;
        _notes = counts.Notes;
        _refusals = new ConcurrentDictionary<string, long>(counts.Refusals, StringComparer.Ordinal);
        _cursor = (long)db.Userchain.Cursor;
    }

    /// <summary>The next Userchain height to handle.</summary>
    public ulong Cursor
    {
        get => (ulong)Interlocked.Read(ref _cursor);
        set => Interlocked.Exchange(ref _cursor, (long)value);
    }

    /// <summary>Applies IoT state changes.</summary>
    public void Apply(StateDelta? delta) => delta?.ApplyTo(_iot);

    /// <summary>Counts a failed attempt that will be retried.</summary>
    public void Transient() => Interlocked.Increment(ref _transientFailures);

    /// <summary>Counts a committed diagnosis of <paramref name="kind"/> (<see cref="DiagnosisKinds"/>).</summary>
    public void Committed(string kind)
    {
        if (kind == DiagnosisKinds.ClinicianNote)
        {
            Interlocked.Increment(ref _notes);
        }
        else
        {
            Interlocked.Increment(ref _diagnoses);
        }
    }

    /// <summary>Counts a diagnosis the ledger refused.</summary>
    public void Refused(RejectReason reason) => _refusals.AddOrUpdate(reason.ToString(), 1, (_, n) => n + 1);

    /// <summary>A snapshot.</summary>
    public DoctorCounters Snapshot()
    {
        var c = new long[_iot.Length];
        for (var i = 0; i < c.Length; i++)
        {
            c[i] = Interlocked.Read(ref _iot[i]);
        }

        return new DoctorCounters(
            c.Sum(),
            c[(int)IotState.Diagnosed],
            c[(int)IotState.AwaitingPayment],
            c[(int)IotState.NotAuthorised],
            c[(int)IotState.Failed],
            c[(int)IotState.Pending] + c[(int)IotState.InDiagnosis],
            Interlocked.Read(ref _diagnoses),
            Interlocked.Read(ref _notes),
            _refusals.GetValueOrDefault(nameof(RejectReason.DoctorNotAuthorised)),
            new Dictionary<string, long>(_refusals, StringComparer.Ordinal),
            Interlocked.Read(ref _transientFailures),
            Cursor);
    }
}
