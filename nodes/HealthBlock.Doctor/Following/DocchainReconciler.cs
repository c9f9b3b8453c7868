using HealthBlock.Crypto;
using HealthBlock.Doctor.Runtime;
using HealthBlock.Doctor.Storage;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor.Following;

/// <summary>
/// Reads this doctor's committed diagnoses on Docchain from the reconciled height on
/// (<see cref="ILedgerReader.GetTransactionsForAsync"/>, in pages) and records them (<see cref="DiagnosisTable.RecordFound"/>):
/// every IoT transaction they cover is marked diagnosed — a belt-and-braces check that none is ever covered twice, even
/// after the data folder lost a commit — and each counts one fee against its patient's credit, which also takes in
/// notes or diagnoses another process of this doctor committed.
/// </summary>
internal sealed class DocchainReconciler(ILedgerReader ledger, IdentityId doctor, DoctorDatabase db, NodeCounters counters, TimeProvider time)
{
    /// <summary>Reconciles from <paramref name="from"/> (default: the height reconciled last).</summary>
    public Task ReconcileAsync(CancellationToken cancellationToken, ulong? from = null) =>
        PartyHistory.ReadAsync(
            ledger,
            doctor,
            ChainId.Docchain,
            from ?? db.Counters.Get(CounterTable.DocchainReconciled),
            (page, top) => counters.Apply(db.Diagnoses.RecordFound([.. page.Select(Found).OfType<FoundDiagnosis>()], top, time.GetUtcNow().ToUnixTimeMilliseconds())),
            cancellationToken);

    /// <summary>The diagnosis <paramref name="t"/> is when this doctor signed it, else null.</summary>
    private FoundDiagnosis? Found(CommittedTransaction t) =>
        t.Transaction.Body.Signer == doctor && t.Transaction.Body.Payload is DiagnosisPayload p
            ? new FoundDiagnosis(t.Transaction.IdHex, p.Patient, [.. p.Covers.Select(c => Convert.ToHexStringLower(c))])
            : null;
}
