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
    private const int PageSize = 1000;

    /// <summary>Reconciles from <paramref name="from"/> (default: the height reconciled last).</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken, ulong? from = null)
    {
        var height = from ?? db.Counters.Get(CounterTable.DocchainReconciled);
        while (true)
        {
            var page = await ledger.GetTransactionsForAsync(doctor, ChainId.Docchain, height, PageSize, cancellationToken).ConfigureAwait(false);
            var found = new List<FoundDiagnosis>();
            var top = height;
            foreach (var t in page)
            {
                top = Math.Max(top, t.Location.Height);
                if (t.Transaction.Body.Signer == doctor && t.Transaction.Body.Payload is DiagnosisPayload p)
                {
                    found.Add(new FoundDiagnosis(t.Transaction.IdHex, p.Patient, [.. p.Covers.Select(c => Convert.ToHexStringLower(c))]));
                }
            }

            counters.Apply(db.Diagnoses.RecordFound(found, top, time.GetUtcNow().ToUnixTimeMilliseconds()));
            if (page.Count < PageSize || top == height)
            {
                return;
            }

            height = top;
        }
    }
}
