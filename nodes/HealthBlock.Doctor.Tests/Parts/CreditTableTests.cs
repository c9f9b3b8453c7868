using HealthBlock.Crypto;
using HealthBlock.Doctor.Storage;

namespace HealthBlock.Doctor.Tests;

/// <summary>A patient's credit as tracked from the chains (<see cref="CreditTable"/>, <see cref="CreditRow"/>).</summary>
public sealed class CreditTableTests : IDisposable
{
    private const ulong Fee = 10;
    private readonly DoctorParts _parts = new();
    private readonly IdentityKey _patient = IdentityKey.Generate();
    private ulong _height;

    public void Dispose()
    {
        _patient.Dispose();
        _parts.Dispose();
    }

    private DoctorDatabase Db => _parts.Db;

    [Fact]
    public void Credit_is_what_was_paid_less_a_fee_per_committed_and_in_flight_diagnosis_each_counted_once()
    {
        Db.Userchain.Apply(_height++, [_parts.Grant(_patient.Id, 1), new PaymentOp(_patient.Id, "p1", 25), new PaymentOp(_patient.Id, "p2", 10)], 1_000);
        Db.Credit.RecordPayments([("p1", _patient.Id, 25)]);
        Assert.Equal((UInt128)35, Db.Credit.Get(_patient.Id).Available(Fee));

        Db.Diagnoses.RecordFound([new FoundDiagnosis("d1", _patient.Id, [])], 0, 1_000);
        Db.Diagnoses.RecordFound([new FoundDiagnosis("d1", _patient.Id, [])], 0, 1_000);
        Db.Diagnoses.RecordSigned(Row(1, "d2"), [], 1_000);
        var credit = Db.Credit.Get(_patient.Id);

        Assert.Equal(1, credit.Charged);
        Assert.Equal(1, credit.InFlight);
        Assert.Equal((UInt128)15, credit.Available(Fee));
        Assert.True(credit.Covers(Fee));

        // Its commit moves it from in flight to charged: the credit does not change.
        Db.Diagnoses.MarkCommitted(1, "d2", "docchain/1/0", 2_000);
        Assert.Equal((UInt128)15, Db.Credit.Get(_patient.Id).Available(Fee));
        Db.Diagnoses.RecordSigned(Row(2, "d3"), [], 1_000);
        Assert.False(Db.Credit.Get(_patient.Id).Covers(Fee));
        Db.Diagnoses.MarkRefused(2, "Failed", IotState.Failed, 2_000);
        Assert.True(Db.Credit.Get(_patient.Id).Covers(Fee));
    }

    [Fact]
    public void Credit_never_goes_below_zero_and_a_hold_lasts_until_the_next_payment()
    {
        Db.Userchain.Apply(_height++, [new PaymentOp(_patient.Id, "p1", 15)], 1_000);
        Db.Diagnoses.RecordFound([new("d1", _patient.Id, []), new("d2", _patient.Id, [])], 0, 1_000);
        Assert.Equal(UInt128.Zero, Db.Credit.Get(_patient.Id).Available(Fee));

        Db.Userchain.Apply(_height++, [new PaymentOp(_patient.Id, "p2", 40)], 1_000);
        Assert.True(Db.Credit.Get(_patient.Id).Covers(Fee));

        // The ledger said no although the tracked credit said yes: its word stands until the patient pays again.
        Db.Credit.Hold(_patient.Id);
        Assert.True(Db.Credit.Get(_patient.Id).Held);
        Assert.False(Db.Credit.Get(_patient.Id).Covers(Fee));

        Db.Userchain.Apply(_height++, [new PaymentOp(_patient.Id, "p3", 1)], 1_000);
        Assert.False(Db.Credit.Get(_patient.Id).Held);
        Assert.True(Db.Credit.Get(_patient.Id).Covers(Fee));
    }

    [Fact]
    public void Payments_up_to_the_largest_amount_add_up_without_overflow()
    {
        Db.Credit.RecordPayments([("p1", _patient.Id, ulong.MaxValue), ("p2", _patient.Id, ulong.MaxValue)]);
        Assert.Equal((UInt128)ulong.MaxValue * 2, Db.Credit.Get(_patient.Id).Paid);
    }

    private DiagnosisRow Row(long number, string txId) =>
        new(number, _patient.Id, 1, DiagnosisKinds.ClinicianNote, [1], txId, (ulong)number, "cid", null, DiagnosisState.Signed, null);
}
