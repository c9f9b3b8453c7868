using System.Collections.Concurrent;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Credit;
using HealthBlock.Doctor.Following;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;
using HealthBlock.Doctor.Submitting;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Doctor.Tests;

/// <summary>
/// The shared pieces a doctor node's parts are built from, for testing one part at a time: a doctor key, its database
/// in a temp folder, the keyring, counters, background work, and an alert hub that keeps what it is given.
/// </summary>
internal sealed class DoctorParts : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly bool _ownsDoctor;
    private NodeCounters? _counters;

    /// <summary>Parts for <paramref name="doctor"/> (which stays the caller's), or for a new doctor key.</summary>
    public DoctorParts(IdentityKey? doctor = null)
    {
        _ownsDoctor = doctor is null;
        Doctor = doctor ?? IdentityKey.Generate();
        Folder = _temp.Sub("doctor");
        Db = DoctorDatabase.Open(Folder);
        Keys = new PatientKeyring(Db, LocalSealer.Open(Db, Doctor));
        Work = new BackgroundWork(TimeProvider.System, NullLogger.Instance);
        AlertBuilder = new DoctorAlerts(Doctor.Id, TimeProvider.System);
        Alerts = new AlertHub([new CallbackAlertSink("test", Raised.Enqueue)]);
    }

    public IdentityKey Doctor { get; }

    public string Folder { get; }

    public DoctorDatabase Db { get; }

    public PatientKeyring Keys { get; }

    public BackgroundWork Work { get; }

    public DoctorAlerts AlertBuilder { get; }

    public AlertHub Alerts { get; }

    public ConcurrentQueue<Alert> Raised { get; } = new();

    /// <summary>The counters, loaded from the database at first use.</summary>
    public NodeCounters Counters => _counters ??= new NodeCounters(Db);

    public string Temp(string name) => _temp.Sub(name);

    public static Backoff FastBackoff() => new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50));

    /// <summary>An IoT item of <paramref name="patient"/> at ledger position (<paramref name="height"/>, 0).</summary>
    public static IotItem Item(IdentityId patient, ulong height, uint epoch = 1, ulong batch = 1, string? txId = null) =>
        new(txId ?? Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + new string('0', 32), IotTable.OrderOf(height, 0), patient, epoch, batch, Cid.Compute([(byte)height]), 1_000, 2_000);

    /// <summary>A key grant of <paramref name="patient"/> for <paramref name="epoch"/>, sealed like the follower seals it.</summary>
    public KeyGrantedOp Grant(IdentityId patient, uint epoch, byte[]? iotKey = null, byte[]? diagnosisKey = null)
    {
        var (sealedIot, sealedDiagnosis) = Keys.Seal(patient, epoch, iotKey ?? Aead.NewKey(), diagnosisKey ?? Aead.NewKey());
        return new KeyGrantedOp(patient, epoch, sealedIot, sealedDiagnosis, "key-" + epoch);
    }

    /// <summary>Applies every Userchain block the ledger has past the cursor, as the follower would.</summary>
    public async Task CatchUpAsync(ILedgerReader ledger)
    {
        var counters = Counters;
        var reader = new UserchainBlockReader(Doctor, Keys, AlertBuilder, NullLogger.Instance);
        for (var height = Db.Userchain.Cursor; await ledger.GetBlockAsync(ChainId.Userchain, height) is { } block; height++)
        {
            counters.Apply(Db.Userchain.Apply(height, reader.Read(block, []), 1_000).Delta);
        }
    }

    /// <summary>The node's submitting parts over <paramref name="ledger"/>, wired as <see cref="DoctorNode"/> wires them.</summary>
    public (DiagnosisSubmitter Submitter, PatientCredit Credit) NewSubmitter(ILedger ledger, ulong fee, Action<DiagnosisCommittedEventArgs> announce)
    {
        var credit = new PatientCredit(Doctor.Id, Db, Counters, Work, NullLogger.Instance) { Fee = fee };
        var reconciler = new DocchainReconciler(ledger, Doctor.Id, Db, Counters, TimeProvider.System);
        var outcomes = new DiagnosisOutcomes(Db, Counters, credit, reconciler, Work, announce, NullLogger.Instance);
        var submitter = new DiagnosisSubmitter(NewJournal(ledger), ledger, ledger, outcomes, Counters, Work, FastBackoff, TimeSpan.FromSeconds(30), NullLogger.Instance);
        return (submitter, credit);
    }

    /// <summary>A journal signing with the doctor's key and the database's nonce counter.</summary>
    public DiagnosisJournal NewJournal(ILedger ledger) =>
        new(Db.Diagnoses, new LedgerSubmitter(Doctor, TestNetwork.Of(ledger), new DatabaseNonceCounter(Db.Counters), ledger), TimeProvider.System, NullLogger.Instance);

    public void Dispose()
    {
        Work.Dispose();
        Alerts.Dispose();
        Db.Dispose();
        if (_ownsDoctor)
        {
            Doctor.Dispose();
        }

        _temp.Dispose();
    }
}
