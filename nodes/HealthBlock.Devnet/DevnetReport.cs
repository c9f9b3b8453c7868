using System.Text.Json;
using System.Text.Json.Serialization;

namespace HealthBlock.Devnet;

/// <summary>The JSON report of a devnet run (<c>--report FILE</c>); field names as the README documents them.</summary>
public sealed record DevnetReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Seconds the wearables streamed.</summary>
    public double Seconds { get; init; }

    /// <summary>Emulated wearables.</summary>
    public int Wearables { get; init; }

    /// <summary>Patients (gateways).</summary>
    public int Patients { get; init; }

    /// <summary>Doctor nodes.</summary>
    public int Doctors { get; init; }

    /// <summary>Accounting nodes.</summary>
    public int Nodes { get; init; }

    /// <summary>Frames the wearables produced.</summary>
    public long FramesProduced { get; init; }

    /// <summary>Frames the wearables published (tries, retransmissions included).</summary>
    public long FramesSent { get; init; }

    /// <summary>Frames acknowledged by the broker (QoS 1 PUBACK).</summary>
    public long FramesAcked { get; init; }

    /// <summary>Frames in committed IoT transactions.</summary>
    public long FramesCommitted { get; init; }

    /// <summary>Frames refused by the gateways.</summary>
    public long FramesRejected { get; init; }

    /// <summary>Frames the wearables dropped from their full offline queues.</summary>
    public long FramesDroppedByDevices { get; init; }

    /// <summary>Acknowledged frames not found in any committed batch (must be 0).</summary>
    public long AckedFramesMissing { get; init; }

    /// <summary>Committed batches.</summary>
    public long Batches { get; init; }

    /// <summary>IoT transactions on Userchain.</summary>
    public long IotTxs { get; init; }

    /// <summary>Key transactions.</summary>
    public long KeyTxs { get; init; }

    /// <summary>Payment transactions.</summary>
    public long PaymentTxs { get; init; }

    /// <summary>Diagnosis transactions on Docchain.</summary>
    public long Diagnoses { get; init; }

    /// <summary>Blocks per chain.</summary>
    public Dictionary<string, ulong> Blocks { get; init; } = [];

    /// <summary>Reading → diagnosis committed latency.</summary>
    public LatencyReport LatencyMs { get; init; } = new();

    /// <summary>Diagnoses the revoked doctor committed about that patient after the revocation (must be 0).</summary>
    public long RevokedDoctorDiagnosesAfterRevocation { get; init; }

    /// <summary>Frames per second the gateways journalled, averaged over the run.</summary>
    public double FramesPerSecond { get; init; }

    /// <summary>The audit of chains and store.</summary>
    public AuditSummary Audit { get; init; } = new();

    /// <summary>Alerts raised by gateways, accounting nodes and doctor nodes, by kind (an honest run raises none).</summary>
    public Dictionary<string, long> Alerts { get; init; } = [];

    /// <summary>The FHIR bundles written with <c>--fhir</c> (one per patient), else empty.</summary>
    public List<string> FhirBundles { get; init; } = [];

    /// <summary>Batches or diagnoses the FHIR export could not open (should be empty).</summary>
    public List<string> FhirSkipped { get; init; } = [];

    /// <summary>With <c>--stats</c>: the cohort figures, else null.</summary>
    public DevnetStatisticsReport? Statistics { get; init; }
    /// <summary>One replica's folder growth while streaming, per patient, extrapolated to a day (bytes; chains + Raft log + state).</summary>
    public double LedgerBytesPerPatientDay { get; init; }

    /// <summary>The same without the Raft log folder (chains and state only).</summary>
    public double ChainBytesPerPatientDay { get; init; }

    /// <summary>One replica's folder at the end, bytes.</summary>
    public long ReplicaBytes { get; init; }

    /// <summary>One replica's Raft log folder at the end, bytes.</summary>
    public long RaftLogBytes { get; init; }

    /// <summary>Live path: reading → a doctor node sees the critical condition, ms.</summary>
    public LatencyReport AlarmLatencyMs { get; init; } = new();

    /// <summary>Live path: reading → the alarm diagnosis committed on Docchain, ms.</summary>
    public LatencyReport AlarmCommitLatencyMs { get; init; } = new();

    /// <summary>Live path: where the committed alarms' latency went, stage by stage (reading → frame end → sealed → published → received → flagged → stored → submitted → committed), ms.</summary>
    public IReadOnlyDictionary<string, LatencyReport> AlarmStagesMs { get; init; } = new Dictionary<string, LatencyReport>();

    /// <summary>Committed alarm diagnoses (every doctor writes its own).</summary>
    public long Alarms { get; init; }

    /// <summary>Committed summary diagnoses.</summary>
    public long SummaryDiagnoses { get; init; }

    /// <summary>Committed finding-change diagnoses (a finding started or ended).</summary>
    public long FindingChanges { get; init; }

    /// <summary>Cited live sub-batches the audit found committed by an IoT root of the patient in time (the rest are problems).</summary>
    public long CitationsBacked { get; init; }

    /// <summary>Cited live sub-batches whose deadline had not passed at the end of the run.</summary>
    public long CitationsPending { get; init; }

    /// <summary>True when the audit held, no acknowledged frame is missing and the revoked doctor wrote nothing after revocation.</summary>
    [JsonIgnore]
    public bool Ok => Audit.Ok && AckedFramesMissing == 0 && RevokedDoctorDiagnosesAfterRevocation == 0 && (Statistics is null || Statistics.Matches);

    /// <summary>The report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
