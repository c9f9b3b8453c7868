using System.Collections.Concurrent;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Storage;
using HealthBlock.Doctor.Submitting;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor.Tests;

/// <summary>
/// Persisted, then submitted, then committed in the background (<see cref="DiagnosisSubmitter"/>,
/// <see cref="DiagnosisJournal"/>, <see cref="DiagnosisOutcomes"/>) on the in-memory ledger.
/// </summary>
public sealed class DiagnosisSubmitterTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<DiagnosisCommittedEventArgs> _announced = new();
    private DoctorWorld _world = null!;
    private DoctorParts _parts = null!;
    private ScriptedPatient _patient = null!;

    public async Task InitializeAsync()
    {
        _world = await DoctorWorld.StartAsync();
        _parts = new DoctorParts(await _world.RegisterDoctorAsync("Dr. Submit"));
        _patient = await _world.AddScriptedPatientAsync();
        await _patient.GrantAsync(_parts.Doctor);
    }

    public async Task DisposeAsync()
    {
        await _parts.Work.StopAsync();
        _parts.Dispose();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task A_diagnosis_is_persisted_before_the_ledger_sees_it_and_its_commit_is_recorded_in_the_background()
    {
        await _patient.PayAsync(_parts.Doctor.Id, _world.Fee);
        var iot = await PendingIotAsync();
        var gated = new GatedLedger(_world.Ledger);
        gated.Close();
        using var submitter = Submitter(gated);

        var submitting = submitter.SubmitNewAsync(1, _patient.Id, 1, DiagnosisKinds.AutomatedScreening, Payload(iot), [iot], 500, CancellationToken.None);
        var held = await gated.Held.WaitAsync(TimeSpan.FromSeconds(30));

        var row = Assert.Single(_parts.Db.Diagnoses.Signed());
        Assert.Equal(held.IdHex, row.TxId);
        Assert.Equal(held.Encode(), row.Transaction);
        Assert.Equal(IotState.InDiagnosis, _parts.Db.Iot.StateOf(iot));
        Assert.Equal(1, _parts.Db.Credit.Get(_patient.Id).InFlight);

        gated.Open();
        await submitting;
        await Eventually.WaitUntilAsync(() => !_announced.IsEmpty, "the commit announced");

        var committed = Assert.Single(_announced);
        Assert.Equal((held.IdHex, 500L, 1UL), (committed.TransactionId, committed.EarliestReadingMs, committed.Number));
        Assert.Equal([iot], committed.Covers);
        Assert.Equal(IotState.Diagnosed, _parts.Db.Iot.StateOf(iot));
        Assert.Equal(1, _parts.Db.Credit.Get(_patient.Id).Charged);
        Assert.Equal(1, _parts.Counters.Snapshot().Diagnoses);
        Assert.Equal(held.IdHex, (await _world.Ledger.GetTransactionAsync(held.IdBytes))!.Transaction.IdHex);
    }

    [Fact]
    public async Task A_nonce_taken_by_another_process_is_re_signed_and_the_persisted_transaction_replaced_before_it_is_submitted()
    {
        await _patient.PayAsync(_parts.Doctor.Id, _world.Fee * 2);
        var iot = await PendingIotAsync();
        var taken = await _world.DiagnoseElsewhereAsync(_parts.Doctor, _patient);
        using var submitter = Submitter(_world.Ledger);

        await submitter.SubmitNewAsync(1, _patient.Id, 1, DiagnosisKinds.AutomatedScreening, Payload(iot), [iot], 500, CancellationToken.None);
        await Eventually.WaitUntilAsync(() => !_announced.IsEmpty, "the re-signed diagnosis committed");

        var committed = Assert.Single(_announced);
        var row = _parts.Db.Diagnoses.Find(committed.TransactionId)!;
        Assert.Equal(DiagnosisState.Committed, row.State);
        Assert.Equal(taken.Body.Nonce + 1, row.Nonce);
        Assert.Equal(row.Nonce, _parts.Db.Counters.Get(CounterTable.Nonce));
        Assert.Equal(IotState.Diagnosed, _parts.Db.Iot.StateOf(iot));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_submission_refused_for_now_or_failing_on_the_way_is_retried_with_backoff_until_it_commits(bool exception)
    {
        await _patient.PayAsync(_parts.Doctor.Id, _world.Fee);
        var iot = await PendingIotAsync();
        var flaky = new FlakySubmitLedger(_world.Ledger) { Failure = exception ? new HttpRequestException("connection refused") : null };
        flaky.FailNext(3);
        using var submitter = Submitter(flaky);

        await submitter.SubmitNewAsync(1, _patient.Id, 1, DiagnosisKinds.AutomatedScreening, Payload(iot), [iot], 500, CancellationToken.None);
        await Eventually.WaitUntilAsync(() => !_announced.IsEmpty, "the diagnosis committed after the retries");

        Assert.Equal(3, flaky.Refused);
        Assert.Equal(3, _parts.Counters.Snapshot().TransientFailures);
        Assert.Equal(IotState.Diagnosed, _parts.Db.Iot.StateOf(iot));
        Assert.Empty(_parts.Counters.Snapshot().Refusals);
    }

    [Fact]
    public async Task A_refusal_for_good_is_recorded_once_not_authorised_stops_the_patient_and_no_credit_holds_it_until_a_payment()
    {
        var unpaid = await PendingIotAsync();
        using var submitter = Submitter(_world.Ledger);
        await submitter.SubmitNewAsync(1, _patient.Id, 1, DiagnosisKinds.AutomatedScreening, Payload(unpaid), [unpaid], 500, CancellationToken.None);

        Assert.Equal(IotState.AwaitingPayment, _parts.Db.Iot.StateOf(unpaid));
        Assert.True(_parts.Db.Credit.Get(_patient.Id).Held);
        Assert.Equal(1, _parts.Counters.Snapshot().Refusals[nameof(RejectReason.InsufficientCredit)]);

        // Paid now, but revoked before the diagnosis reaches the ledger (the doctor has not seen the revocation yet).
        await _patient.PayAsync(_parts.Doctor.Id, _world.Fee);
        var revoked = await PendingIotAsync();
        await _patient.GrantAsync();
        await submitter.SubmitNewAsync(2, _patient.Id, 1, DiagnosisKinds.AutomatedScreening, Payload(revoked), [revoked], 500, CancellationToken.None);

        Assert.Equal(IotState.NotAuthorised, _parts.Db.Iot.StateOf(revoked));
        Assert.True(_parts.Db.Patients.Get(_patient.Id)!.Refused);
        Assert.Equal(1, _parts.Counters.Snapshot().NotAuthorisedRefusals);
        Assert.Empty(_announced);
    }

    [Fact]
    public async Task A_diagnosis_persisted_before_a_stop_is_recorded_if_it_committed_meanwhile_and_submitted_again_if_not()
    {
        await _patient.PayAsync(_parts.Doctor.Id, _world.Fee * 2);
        var first = await PendingIotAsync();
        var second = await PendingIotAsync();
        var journal = Journal(_world.Ledger);
        await journal.SyncNonceAsync(CancellationToken.None);
        var committedMeanwhile = journal.SignAndRecord(1, _patient.Id, 1, DiagnosisKinds.AutomatedScreening, Payload(first), [first], 500)!;
        var neverSubmitted = journal.SignAndRecord(2, _patient.Id, 1, DiagnosisKinds.AutomatedScreening, Payload(second), [second], 600)!;
        await _world.Ledger.SubmitAndWaitAsync(committedMeanwhile.Transaction, TimeSpan.FromSeconds(30));
        using var submitter = Submitter(_world.Ledger);

        foreach (var row in _parts.Db.Diagnoses.Signed())
        {
            await submitter.ResumeAsync(row, CancellationToken.None);
        }

        Assert.Equal(IotState.Diagnosed, _parts.Db.Iot.StateOf(first));
        await Eventually.WaitUntilAsync(() => _announced.Count == 2, "both diagnoses committed");
        Assert.Equal([committedMeanwhile.Transaction.IdHex, neverSubmitted.Transaction.IdHex], _announced.Select(a => a.TransactionId));
        Assert.Equal(IotState.Diagnosed, _parts.Db.Iot.StateOf(second));
    }

    /// <summary>The patient's next IoT transaction, seen by the doctor and pending.</summary>
    private async Task<string> PendingIotAsync()
    {
        var tx = await _patient.PublishAsync(Signals.NowMs(), 3700);
        await _parts.CatchUpAsync(_world.Ledger);
        return tx.IdHex;
    }

    private DiagnosisPayload Payload(string iot) => new(_patient.Id, 1, Cid.Compute([1]), [Convert.FromHexString(iot)], 0, 1_000, null);

    private DiagnosisJournal Journal(ILedger ledger) => _parts.NewJournal(ledger);

    private DiagnosisSubmitter Submitter(ILedger ledger) => _parts.NewSubmitter(ledger, _world.Fee, _announced.Enqueue).Submitter;
}
