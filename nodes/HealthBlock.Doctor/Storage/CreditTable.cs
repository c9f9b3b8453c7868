using HealthBlock.Crypto;

namespace HealthBlock.Doctor.Storage;

/// <summary>A patient's credit with this doctor as the doctor tracks it from the chains.</summary>
/// <param name="Paid">Every payment of the patient to this doctor seen on Userchain.</param>
/// <param name="Charged">Committed diagnoses of this doctor about the patient (each consumed one fee).</param>
/// <param name="InFlight">Diagnoses signed and not yet committed or refused (each will consume one fee if it commits).</param>
/// <param name="HeldAtPaid">The paid total when the ledger last refused a diagnosis for credit, or null: while nothing more is paid, the ledger's word stands.</param>
internal sealed record CreditRow(UInt128 Paid, long Charged, long InFlight, UInt128? HeldAtPaid)
{
    /// <summary>What is left for new diagnoses at <paramref name="fee"/> each, after the committed and in-flight ones.</summary>
    public UInt128 Available(ulong fee)
    {
        var reserved = (UInt128)fee * (ulong)(Charged + InFlight);
        return Paid > reserved ? Paid - reserved : 0;
    }

    /// <summary>True when the ledger refused a diagnosis for credit and no payment came since.</summary>
    public bool Held => HeldAtPaid is { } held && Paid <= held;

    /// <summary>True when one more diagnosis at <paramref name="fee"/> is paid for.</summary>
    public bool Covers(ulong fee) => !Held && Available(fee) >= fee;
}

/// <summary>
/// The patients' credit with this doctor, from the chains it follows rather than asked of the ledger per diagnosis:
/// <c>payments</c> (payments to this doctor on Userchain, by transaction id), <c>fees</c> (this doctor's committed
/// diagnoses on Docchain, by transaction id: each consumed the genesis diagnosis fee) and <c>credit_holds</c> (a patient
/// for whom the ledger refused a diagnosis for credit, held until the next payment). Recording by transaction id makes
/// every source idempotent. Credit = paid − fee × (committed + in-flight diagnoses); the ledger's refusal stays the final word.
/// </summary>
internal sealed class CreditTable(DoctorDatabase db)
{
    /// <summary>Meta flag: payments and fees from before this data folder tracked credit were recorded.</summary>
    public const string TrackedMeta = "credit-tracked";

    /// <summary>The tables.</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS payments (tx_id TEXT PRIMARY KEY, patient TEXT NOT NULL, amount INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS payments_patient ON payments (patient);
        CREATE TABLE IF NOT EXISTS fees (tx_id TEXT PRIMARY KEY, patient TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS fees_patient ON fees (patient);
        CREATE TABLE IF NOT EXISTS credit_holds (patient TEXT PRIMARY KEY, paid TEXT NOT NULL);
        """;

    /// <summary>A patient's tracked credit.</summary>
    public CreditRow Get(IdentityId patient) => db.Read(s => Read(s, patient));

    /// <summary>Holds the patient's credit as it is now: no diagnosis is tried until a new payment arrives.</summary>
    public void Hold(IdentityId patient) => db.Write(s =>
    {
        var paid = Paid(s, patient);
        s.Execute(
            "INSERT INTO credit_holds (patient, paid) VALUES ($p, $v) ON CONFLICT(patient) DO UPDATE SET paid = excluded.paid",
            ("$p", patient.ToString()),
            ("$v", paid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return true;
    });

    /// <summary>Records payments (from a look-up of the ledger's history); those recorded already are ignored.</summary>
    public void RecordPayments(IEnumerable<(string TxId, IdentityId Patient, ulong Amount)> payments) => db.Write(s =>
    {
        foreach (var (txId, patient, amount) in payments)
        {
            RecordPayment(s, txId, patient, amount);
        }

        return true;
    });

    /// <summary>Records a payment inside a call; false when it was recorded already.</summary>
    public static bool RecordPayment(SqlScope s, string txId, IdentityId patient, ulong amount) =>
        s.Execute("INSERT OR IGNORE INTO payments (tx_id, patient, amount) VALUES ($t, $p, $a)", ("$t", txId), ("$p", patient.ToString()), ("$a", unchecked((long)amount))) == 1;

    /// <summary>Records a committed diagnosis of this doctor (one fee consumed) inside a call; recording it again changes nothing.</summary>
    public static void RecordFee(SqlScope s, string diagnosisTxId, IdentityId patient) =>
        s.Execute("INSERT OR IGNORE INTO fees (tx_id, patient) VALUES ($t, $p)", ("$t", diagnosisTxId), ("$p", patient.ToString()));

    private static CreditRow Read(SqlScope s, IdentityId patient)
    {
        var p = ("$p", (object?)patient.ToString());
        var charged = (long)s.Scalar("SELECT COUNT(*) FROM fees WHERE patient = $p", p)!;
        var inFlight = (long)s.Scalar(
            $"SELECT COUNT(*) FROM diagnoses WHERE patient = $p AND state = {States.Sql(DiagnosisState.Signed)} AND tx_id NOT IN (SELECT tx_id FROM fees)", p)!;
        var held = s.Scalar("SELECT paid FROM credit_holds WHERE patient = $p", p) is string h ? UInt128.Parse(h, System.Globalization.CultureInfo.InvariantCulture) : (UInt128?)null;
        return new CreditRow(Paid(s, patient), charged, inFlight, held);
    }

    private static UInt128 Paid(SqlScope s, IdentityId patient)
    {
        UInt128 paid = 0;
        foreach (var amount in s.Query("SELECT amount FROM payments WHERE patient = $p", r => unchecked((ulong)r.GetInt64(0)), ("$p", patient.ToString())))
        {
            paid += amount;
        }

        return paid;
    }
}
