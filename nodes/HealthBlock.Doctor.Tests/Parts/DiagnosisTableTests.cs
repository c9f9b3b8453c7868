using HealthBlock.Crypto;
using HealthBlock.Doctor.Storage;

namespace HealthBlock.Doctor.Tests;

/// <summary>Signed, committed and refused diagnoses in the database (<see cref="DiagnosisTable"/>), and the counters they keep.</summary>
public sealed class DiagnosisTableTests : IDisposable
{
    private readonly DoctorParts _parts = new();
    private readonly IdentityKey _patient = IdentityKey.Generate();

    public DiagnosisTableTests() => _parts.Db.Userchain.Apply(0, [_parts.Grant(_patient.Id, 1)], 1_000);

    public void Dispose()
    {
        _patient.Dispose();
        _parts.Dispose();
    }

    private DoctorDatabase Db => _parts.Db;

    [Fact]
    public void A_diagnosis_is_recorded_only_while_everything_it_covers_is_pending_and_raises_the_nonce_counter()
    {
        var a = Pending(1);
        var b = Pending(2);
        Db.Iot.SetState([b.TxId], IotState.NotAuthorised, "revoked", 1_000, IotState.Pending);

        Assert.Null(Db.Diagnoses.RecordSigned(Row(1, nonce: 7), [a.TxId, b.TxId], 1_000));
        Assert.Empty(Db.Diagnoses.Signed());
        Assert.Equal(IotState.Pending, Db.Iot.StateOf(a.TxId));

        var delta = Db.Diagnoses.RecordSigned(Row(2, nonce: 9), [a.TxId], 1_000);
        Assert.Equal(1, delta![IotState.InDiagnosis]);
        Assert.Equal(-1, delta[IotState.Pending]);
        Assert.Equal(IotState.InDiagnosis, Db.Iot.StateOf(a.TxId));
        Assert.Equal(9UL, Db.Counters.Get(CounterTable.Nonce));
        Assert.Equal(2, Assert.Single(Db.Diagnoses.Signed()).Number);
    }

    [Fact]
    public void A_commit_is_recorded_once_marks_what_it_covers_diagnosed_and_charges_one_fee()
    {
        var a = Pending(1);
        Db.Diagnoses.RecordSigned(Row(3), [a.TxId], 1_000);
        Db.Diagnoses.UpdateSigned(3, [9, 9], "resigned-3", 12);

        var (changed, delta) = Db.Diagnoses.MarkCommitted(3, "resigned-3", "docchain/4/0", 2_000);
        var (again, _) = Db.Diagnoses.MarkCommitted(3, "resigned-3", "docchain/4/0", 3_000);

        Assert.True(changed);
        Assert.False(again);
        Assert.Equal(1, delta[IotState.Diagnosed]);
        Assert.Equal(IotState.Diagnosed, Db.Iot.StateOf(a.TxId));
        Assert.Equal(DiagnosisState.Committed, Db.Diagnoses.Find("resigned-3")!.State);
        Assert.Equal(12UL, Db.Counters.Get(CounterTable.Nonce));
        Assert.Equal(1, Db.Credit.Get(_patient.Id).Charged);
        Assert.Equal(0, Db.Credit.Get(_patient.Id).InFlight);
        Assert.Equal(1, Db.Diagnoses.Count().Screenings);
    }

    [Theory]
    [InlineData((int)IotState.AwaitingPayment)]
    [InlineData((int)IotState.NotAuthorised)]
    [InlineData((int)IotState.Failed)]
    public void A_refusal_is_recorded_once_and_moves_what_it_covered(int coveredState)
    {
        var covered = (IotState)coveredState;
        var a = Pending(1);
        Db.Diagnoses.RecordSigned(Row(4), [a.TxId], 1_000);

        var (changed, delta) = Db.Diagnoses.MarkRefused(4, "Reason", covered, 2_000);
        var (again, _) = Db.Diagnoses.MarkRefused(4, "Reason", covered, 2_000);

        Assert.True(changed);
        Assert.False(again);
        Assert.Equal(1, delta[covered]);
        Assert.Equal(covered, Db.Iot.StateOf(a.TxId));
        Assert.Empty(Db.Diagnoses.CoveredBy(4));
        Assert.Equal(1, Db.Diagnoses.Count().Refusals["Reason"]);
        Assert.Equal(0, Db.Credit.Get(_patient.Id).InFlight);
    }

    [Fact]
    public void Diagnoses_found_on_docchain_mark_what_they_cover_charge_their_fees_once_and_move_the_reconciled_height()
    {
        var a = Pending(1);
        var b = Pending(2);
        Db.Iot.SetState([b.TxId], IotState.Failed, "lost", 1_000, IotState.Pending);
        var found = new FoundDiagnosis[] { new("d1", _patient.Id, [a.TxId]), new("d2", _patient.Id, [b.TxId]), new("note", _patient.Id, []) };

        Db.Diagnoses.RecordFound(found, 7, 2_000);
        Db.Diagnoses.RecordFound(found, 5, 2_000);

        Assert.Equal(IotState.Diagnosed, Db.Iot.StateOf(a.TxId));
        Assert.Equal(IotState.Diagnosed, Db.Iot.StateOf(b.TxId));
        Assert.Equal(3, Db.Credit.Get(_patient.Id).Charged);
        Assert.Equal(7UL, Db.Counters.Get(CounterTable.DocchainReconciled));
    }

    [Fact]
    public void Reserved_counters_survive_reopening_and_never_hand_out_a_value_twice()
    {
        var first = Db.Counters.Reserve(CounterTable.DiagnosisNumber, 64);
        Db.Counters.Raise(CounterTable.Nonce, 5);
        Db.Counters.Raise(CounterTable.Nonce, 3);
        using (var reopened = DoctorDatabase.Open(_parts.Folder))
        {
            Assert.Equal(first + 64, reopened.Counters.Reserve(CounterTable.DiagnosisNumber, 1));
            Assert.Equal(5UL, reopened.Counters.Get(CounterTable.Nonce));
        }

        Assert.Equal(1UL, first);
        Assert.Equal(first + 65, Db.Counters.Reserve(CounterTable.DiagnosisNumber, 1));
    }

    private IotItem Pending(ulong height)
    {
        var item = DoctorParts.Item(_patient.Id, height);
        Db.Userchain.Apply(height, [new IotOp(item)], 1_000);
        return item;
    }

    private DiagnosisRow Row(long number, ulong nonce = 1) =>
        new(number, _patient.Id, 1, DiagnosisKinds.AutomatedScreening, [1, 2, 3], "tx-" + number, nonce, "cid", 1_000, DiagnosisState.Signed, null);
}
