using HealthBlock.Crypto;
using HealthBlock.Doctor.Storage;
using HealthBlock.Ledger;
using Xunit.Abstractions;

namespace HealthBlock.Doctor.Tests;

/// <summary>
/// The doctor node tracks each patient's credit from the chains it follows (payments to it on Userchain, its own
/// diagnoses on Docchain) and asks the ledger for no credit per diagnosis; the ledger's refusal stays the final word.
/// </summary>
public sealed class CreditFromChainsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private DoctorWorld _world = null!;

    public async Task InitializeAsync() => _world = await DoctorWorld.StartAsync(output);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Diagnoses_stop_when_the_paid_credit_runs_out_and_resume_after_a_payment_without_a_credit_query()
    {
        var (doctorKey, patient, ledger, doctor) = await PaidDoctorAsync("Dr. Credit", fees: 2);

        for (var i = 1; i <= 3; i++)
        {
            await patient.PublishAsync(Signals.NowMs(), 3700);
            await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed + doctor.Counters.AwaitingPayment == i, $"batch {i} diagnosed or parked");
        }

        Assert.Equal(2, doctor.Counters.Diagnosed);
        Assert.Equal(1, doctor.Counters.AwaitingPayment);
        Assert.Equal(0UL, await _world.Ledger.GetCreditAsync(doctorKey.Id, patient.Id));

        await patient.PayAsync(doctorKey.Id, _world.Fee);
        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == 3, "the parked batch diagnosed after the payment");

        Assert.Equal(3, doctor.Counters.Diagnoses);
        Assert.Empty(doctor.Counters.Refusals);
        Assert.Equal(0, ledger.CreditQueries);
    }

    [Fact]
    public async Task When_the_ledger_refuses_for_credit_the_patient_waits_for_its_next_payment_and_the_credit_spent_elsewhere_is_learnt()
    {
        var (doctorKey, patient, ledger, doctor) = await PaidDoctorAsync("Dr. Refused", fees: 1);

        // Another process of the same doctor spends the credit behind the node's back.
        await _world.DiagnoseElsewhereAsync(doctorKey, patient);

        await patient.PublishAsync(Signals.NowMs(), 3800);
        await Eventually.WaitUntilAsync(
            () => doctor.Counters.AwaitingPayment == 1 && doctor.Counters.Refusals.GetValueOrDefault(nameof(RejectReason.InsufficientCredit)) == 1,
            "the batch parked after the ledger's refusal");
        await Eventually.WaitUntilAsync(() => ChargedFees(doctorKey, patient) == 1, "the fee spent elsewhere learnt from Docchain");

        // Held: a later batch is not tried (no second refusal) until the patient pays again.
        await patient.PublishAsync(Signals.NowMs(), 3810);
        await Eventually.WaitUntilAsync(() => doctor.Counters.AwaitingPayment == 2, "the next batch parked too");
        Assert.Equal(1, doctor.Counters.Refusals[nameof(RejectReason.InsufficientCredit)]);

        await patient.PayAsync(doctorKey.Id, _world.Fee);
        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == 2, "the backlog diagnosed after the payment");
        Assert.Equal(1, doctor.Counters.Diagnoses);
        Assert.Equal(0, ledger.CreditQueries);
    }

    [Fact]
    public async Task A_data_folder_from_before_credit_was_tracked_learns_the_earlier_payments_and_fees_once()
    {
        var (doctorKey, patient, _, doctor) = await PaidDoctorAsync("Dr. Upgrade", fees: 2);
        await patient.PublishAsync(Signals.NowMs(), 3700);
        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == 1, "the first batch diagnosed");
        await _world.StopDoctorAsync(doctor);

        // What an older data folder looks like: cursor and diagnoses, but no credit recorded.
        using (var db = DoctorDatabase.Open(_world.DoctorFolder(doctorKey)))
        {
            db.Write(s => s.Execute("DELETE FROM payments; DELETE FROM fees; DELETE FROM meta WHERE name = $n", ("$n", CreditTable.TrackedMeta)));
        }

        // The second fee, paid before the upgrade, pays for the next batch; the third batch finds the credit spent.
        await patient.PublishAsync(Signals.NowMs(), 3710);
        var ledger = new CreditCountingLedger(_world.Ledger);
        doctor = await _world.StartDoctorAsync(doctorKey, ledger);
        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == 2, "the batch after the upgrade diagnosed");
        await patient.PublishAsync(Signals.NowMs(), 3720);
        await Eventually.WaitUntilAsync(() => doctor.Counters.AwaitingPayment == 1, "the third batch awaiting payment");

        Assert.Equal(2, doctor.Counters.Diagnosed);
        Assert.Equal(1, doctor.Counters.AwaitingPayment);
        Assert.Empty(doctor.Counters.Refusals);
        Assert.Equal(2, ChargedFees(doctorKey, patient));
        Assert.Equal(0, ledger.CreditQueries);
    }

    /// <summary>A doctor authorised and paid <paramref name="fees"/> fees by a new patient, its node running on a ledger that counts credit queries.</summary>
    private async Task<(IdentityKey Key, ScriptedPatient Patient, CreditCountingLedger Ledger, DoctorNode Node)> PaidDoctorAsync(string name, ulong fees)
    {
        var doctorKey = await _world.RegisterDoctorAsync(name);
        var patient = await _world.AddScriptedPatientAsync();
        await patient.GrantAsync(doctorKey);
        await patient.PayAsync(doctorKey.Id, _world.Fee * fees);
        var ledger = new CreditCountingLedger(_world.Ledger);
        return (doctorKey, patient, ledger, await _world.StartDoctorAsync(doctorKey, ledger));
    }

    private long ChargedFees(IdentityKey doctor, ScriptedPatient patient)
    {
        using var db = DoctorDatabase.Open(_world.DoctorFolder(doctor));
        return db.Credit.Get(patient.Id).Charged;
    }
}
