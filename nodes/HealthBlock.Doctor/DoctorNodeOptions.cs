using HealthBlock.Alerts;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor;

/// <summary>How a <see cref="DoctorNode"/> runs.</summary>
public sealed record DoctorNodeOptions
{
    /// <summary>The default key file name in the data folder.</summary>
    public const string DefaultKeyFileName = "doctor.key";

    /// <summary>The database file name in the data folder.</summary>
    public const string DatabaseFileName = Storage.DoctorDatabase.FileName;

    /// <summary>The data folder (database with the cursor, sealed patient keys, states and signed transactions).</summary>
    public required string DataFolder { get; init; }

    /// <summary>
    /// Most IoT transactions one diagnosis covers. A diagnosis covers the IoT transactions of one patient and one epoch
    /// that are ready when it is prepared: one when they arrive one by one (lowest latency), several when a backlog
    /// is waiting (after a payment or a restart), which also costs the patient one fee instead of many.
    /// </summary>
    public int MaxCoveredPerDiagnosis { get; init; } = 32;

    /// <summary>Diagnoses prepared at the same time (different patients run in parallel; one patient's in ledger order).</summary>
    public int MaxConcurrentDiagnoses { get; init; } = Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>How long to wait for a submitted diagnosis to commit before checking and submitting it again.</summary>
    public TimeSpan CommitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often patients awaiting payment are checked again (a payment seen on Userchain triggers it at once).</summary>
    public TimeSpan AwaitingPaymentRecheck { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First retry delay after the store or the ledger fails; doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest retry delay.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts to fetch an IoT block the store does not have before giving that IoT transaction up.</summary>
    public int MaxFetchAttempts { get; init; } = 20;

    /// <summary>Pin each stored diagnosis in the content store.</summary>
    public bool PinDiagnoses { get; init; } = true;

    /// <summary>How frames are assembled and analysed.</summary>
    public BatchAnalysisOptions Analysis { get; init; } = new();

    /// <summary>
    /// How much of a patient's preceding ECG (from batches this node already analysed, kept in memory) joins each
    /// new batch's ECG for the rhythm analysis, so that short batches — the price of low latency — can still be
    /// analysed. Zero analyses each batch alone. The analysis then costs (context + batch) / batch times as much CPU:
    /// about 10× for one-second batches. The document's ECG summaries then include that context; findings
    /// before the diagnosis window have negative offsets.
    /// </summary>
    public TimeSpan EcgContext { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The live path (subscribe to the served patients' sealed live sub-batches, stream-analyse them, write alarms at once
    /// and one summary per period); null: the node diagnoses each committed IoT transaction as before.
    /// </summary>
    public Live.LiveAlarmOptions? Live { get; init; }

    /// <summary>The clock (diagnosis times and latencies).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The network the node signs for; the static <c>DoctorNode.StartAsync</c> sets it from the data folder's pin (<see cref="DoctorNode.PinNetworkAsync"/>).</summary>
    public NetworkId? Network { get; init; }

    /// <summary>
    /// Where the node raises its tamper and decryption alerts (an envelope that does not open, a stored block that does
    /// not hash to its CID, a batch that does not authenticate), each naming the patient, the transaction and the CID.
    /// When null the node makes its own hub that logs them (add sinks, such as e-mail, to <see cref="DoctorNode.Alerts"/>).
    /// The node disposes only a hub it made; a hub given here stays the caller's.
    /// </summary>
    public AlertHub? Alerts { get; init; }
}
