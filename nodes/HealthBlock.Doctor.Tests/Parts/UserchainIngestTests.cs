using HealthBlock.Crypto;
using HealthBlock.Doctor.Storage;

namespace HealthBlock.Doctor.Tests;

/// <summary>The IoT state machine as a Userchain block drives it (<see cref="UserchainIngest"/>), on a real database.</summary>
public sealed class UserchainIngestTests : IDisposable
{
    private readonly DoctorParts _parts = new();
    private readonly IdentityKey _patient = IdentityKey.Generate();
    private ulong _height;

    public void Dispose()
    {
        _patient.Dispose();
        _parts.Dispose();
    }

    private DoctorDatabase Db => _parts.Db;

    private IngestResult Apply(params IngestOp[] ops) => Db.Userchain.Apply(_height++, ops, 1_000);

    [Fact]
    public void An_iot_transaction_is_recorded_once_only_for_a_known_patient_and_pending_only_with_a_key_for_its_epoch()
    {
        var before = DoctorParts.Item(_patient.Id, 0);
        Apply(new IotOp(before));
        Assert.Null(Db.Iot.StateOf(before.TxId));

        var granted = Apply(_parts.Grant(_patient.Id, 1));
        Assert.Equal([_patient.Id], granted.Schedule);
        var served = DoctorParts.Item(_patient.Id, 2);
        var otherEpoch = DoctorParts.Item(_patient.Id, 2, epoch: 2);
        var result = Apply(new IotOp(served), new IotOp(otherEpoch));

        Assert.Equal(IotState.Pending, Db.Iot.StateOf(served.TxId));
        Assert.Equal(IotState.NotAuthorised, Db.Iot.StateOf(otherEpoch.TxId));
        Assert.Equal([_patient.Id], result.Schedule);
        Assert.Equal(1, result.Delta[IotState.Pending]);
        Assert.Equal(1, result.Delta[IotState.NotAuthorised]);

        // The same block again (a replay after a crash) changes nothing, and the cursor only grows.
        var replay = Db.Userchain.Apply(2, [new IotOp(served), new IotOp(otherEpoch)], 2_000);
        Assert.Empty(replay.Schedule);
        Assert.Equal(0, replay.Delta[IotState.Pending] + replay.Delta[IotState.NotAuthorised]);
        Assert.Equal(3UL, Db.Userchain.Cursor);
        Assert.Equal([1, 0, 0, 0, 1, 0], Db.Iot.CountStates());
    }

    [Fact]
    public void A_withdrawal_moves_the_waiting_transactions_to_not_authorised_and_leaves_one_in_diagnosis_alone()
    {
        Apply(_parts.Grant(_patient.Id, 1));
        var pending = DoctorParts.Item(_patient.Id, 1);
        var awaiting = DoctorParts.Item(_patient.Id, 1);
        var inDiagnosis = DoctorParts.Item(_patient.Id, 1);
        Apply(new IotOp(pending), new IotOp(awaiting), new IotOp(inDiagnosis));
        Db.Iot.SetState([awaiting.TxId], IotState.AwaitingPayment, "credit", 1_000, IotState.Pending);
        Assert.NotNull(Db.Diagnoses.RecordSigned(Row(1), [inDiagnosis.TxId], 1_000));

        var result = Apply(new KeyWithdrawnOp(_patient.Id, 2, "revoked"));

        Assert.Equal([_patient.Id], result.Withdrawn);
        Assert.Equal(IotState.NotAuthorised, Db.Iot.StateOf(pending.TxId));
        Assert.Equal(IotState.NotAuthorised, Db.Iot.StateOf(awaiting.TxId));
        Assert.Equal(IotState.InDiagnosis, Db.Iot.StateOf(inDiagnosis.TxId));
        Assert.Equal(2, result.Delta[IotState.NotAuthorised]);

        // Later batches are not served, and a second withdrawal names nobody newly withdrawn.
        var later = DoctorParts.Item(_patient.Id, 5);
        Assert.Empty(Apply(new KeyWithdrawnOp(_patient.Id, 3, "revoked"), new IotOp(later)).Withdrawn);
        Assert.Equal(IotState.NotAuthorised, Db.Iot.StateOf(later.TxId));
        Assert.False(Db.Patients.Get(_patient.Id)!.Authorised);
    }

    [Fact]
    public void A_payment_is_credited_once_and_puts_the_transactions_awaiting_payment_back_to_pending()
    {
        Apply(_parts.Grant(_patient.Id, 1));
        var item = DoctorParts.Item(_patient.Id, 1);
        Apply(new IotOp(item));
        Db.Iot.SetState([item.TxId], IotState.AwaitingPayment, "credit", 1_000, IotState.Pending);

        var result = Apply(new PaymentOp(_patient.Id, "pay-1", 25));
        Db.Userchain.Apply(1, [new PaymentOp(_patient.Id, "pay-1", 25)], 1_000);

        Assert.Equal([_patient.Id], result.Schedule);
        Assert.Equal(IotState.Pending, Db.Iot.StateOf(item.TxId));
        Assert.Equal((UInt128)25, Db.Credit.Get(_patient.Id).Paid);
    }

    [Fact]
    public void A_transaction_a_committed_diagnosis_covers_is_diagnosed_when_first_seen_and_a_refused_doctor_serves_nothing_until_granted_again()
    {
        Apply(_parts.Grant(_patient.Id, 1));
        var covered = DoctorParts.Item(_patient.Id, 1);
        Db.Diagnoses.RecordFound([new FoundDiagnosis("d1", _patient.Id, [covered.TxId])], 0, 1_000);
        Apply(new IotOp(covered));
        Assert.Equal(IotState.Diagnosed, Db.Iot.StateOf(covered.TxId));

        var waiting = DoctorParts.Item(_patient.Id, 2);
        Apply(new IotOp(waiting));
        Db.Patients.SetRefused(_patient.Id, 1_000);
        var whileRefused = DoctorParts.Item(_patient.Id, 3);
        Apply(new IotOp(whileRefused));
        Assert.Equal(IotState.NotAuthorised, Db.Iot.StateOf(waiting.TxId));
        Assert.Equal(IotState.NotAuthorised, Db.Iot.StateOf(whileRefused.TxId));

        Apply(_parts.Grant(_patient.Id, 2));
        var afterGrant = DoctorParts.Item(_patient.Id, 5, epoch: 2);
        Apply(new IotOp(afterGrant));
        Assert.Equal(IotState.Pending, Db.Iot.StateOf(afterGrant.TxId));
        Assert.True(Db.Patients.Get(_patient.Id)!.Served);
    }

    private DiagnosisRow Row(long number) =>
        new(number, _patient.Id, 1, DiagnosisKinds.AutomatedScreening, [1, 2, 3], "tx-" + number, (ulong)number, "cid", 1_000, DiagnosisState.Signed, null);
}
