using System.Collections.Concurrent;
using HealthBlock.Alerts;
using HealthBlock.Analysis;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Diagnosing;
using HealthBlock.Doctor.Storage;
using HealthBlock.Doctor.Submitting;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Doctor.Tests;

/// <summary>One lane step (<see cref="PatientDiagnoser"/>) over the real parts and the in-memory ledger.</summary>
public sealed class PatientDiagnoserTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<DiagnosisCommittedEventArgs> _announced = new();
    private DoctorWorld _world = null!;
    private DoctorParts _parts = null!;
    private ScriptedPatient _patient = null!;
    private DiagnosisSubmitter _submitter = null!;
    private PatientDiagnoser _diagnoser = null!;

    public async Task InitializeAsync()
    {
        _world = await DoctorWorld.StartAsync();
        _parts = new DoctorParts(await _world.RegisterDoctorAsync("Dr. Step"));
        _patient = await _world.AddScriptedPatientAsync();
        await _patient.GrantAsync(_parts.Doctor);

        (_submitter, var credit) = _parts.NewSubmitter(_world.Ledger, _world.Fee, _announced.Enqueue);
        var options = new DoctorNodeOptions { DataFolder = _parts.Folder, EcgContext = TimeSpan.Zero };
        var composer = new DiagnosisComposer(_parts.Doctor.Id, new DiagnosisNumbers(_parts.Db.Counters), new EcgContext(TimeSpan.Zero), new BatchAnalysisOptions(), TimeProvider.System);
        _diagnoser = new PatientDiagnoser(
            _parts.Db,
            _parts.Keys,
            credit,
            new BatchOpener(_world.Store, _parts.AlertBuilder, options.MaxFetchAttempts, NullLogger.Instance),
            composer,
            _submitter,
            _world.Store,
            _parts.Counters,
            _parts.Alerts,
            _parts.AlertBuilder,
            _parts.Work,
            options,
            NullLogger.Instance);
    }

    public async Task DisposeAsync()
    {
        await _parts.Work.StopAsync();
        _submitter.Dispose();
        _parts.Dispose();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task A_step_covers_the_pending_backlog_of_one_epoch_at_a_time_and_says_when_nothing_is_left()
    {
        await _patient.PayAsync(_parts.Doctor.Id, _world.Fee * 2);
        var first = await _patient.PublishAsync(Signals.NowMs(), 3700);
        var second = await _patient.PublishAsync(Signals.NowMs(), 3710);
        await _patient.GrantAsync(_parts.Doctor);
        var nextEpoch = await _patient.PublishAsync(Signals.NowMs(), 3720);
        await _parts.CatchUpAsync(_world.Ledger);

        Assert.True(await _diagnoser.StepAsync(_patient.Id, CancellationToken.None));
        Assert.True(await _diagnoser.StepAsync(_patient.Id, CancellationToken.None));
        Assert.False(await _diagnoser.StepAsync(_patient.Id, CancellationToken.None));
        await Eventually.WaitUntilAsync(() => _announced.Count == 2, "both diagnoses committed");

        var byEpoch = _announced.OrderBy(a => a.Epoch).ToList();
        Assert.Equal(new[] { first.IdHex, second.IdHex }.Order(StringComparer.Ordinal), byEpoch[0].Covers);
        Assert.Equal([nextEpoch.IdHex], byEpoch[1].Covers);
        Assert.Equal([1u, 2u], byEpoch.Select(a => a.Epoch));
    }

    [Fact]
    public async Task Without_credit_a_step_parks_the_batches_as_awaiting_payment_and_submits_nothing()
    {
        var iot = await _patient.PublishAsync(Signals.NowMs(), 3700);
        await _parts.CatchUpAsync(_world.Ledger);

        Assert.True(await _diagnoser.StepAsync(_patient.Id, CancellationToken.None));

        Assert.Equal(IotState.AwaitingPayment, _parts.Db.Iot.StateOf(iot.IdHex));
        Assert.Empty(_parts.Db.Diagnoses.Signed());
        Assert.Empty(await _world.DiagnosesAsync(_patient.Id));
        Assert.False(await _diagnoser.StepAsync(_patient.Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_batch_that_cannot_be_opened_is_given_up_with_one_alert_and_the_rest_is_diagnosed()
    {
        await _patient.PayAsync(_parts.Doctor.Id, _world.Fee);
        var tampered = await _patient.PublishAsync(Signals.NowMs(), 3700);
        var good = await _patient.PublishAsync(Signals.NowMs(), 3710);
        var path = _world.Store.GetBlockPath(((IotPayload)tampered.Body.Payload).Cid);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);
        await _parts.CatchUpAsync(_world.Ledger);

        Assert.True(await _diagnoser.StepAsync(_patient.Id, CancellationToken.None));
        Assert.False(await _diagnoser.StepAsync(_patient.Id, CancellationToken.None));
        await Eventually.WaitUntilAsync(() => !_announced.IsEmpty, "the good batch diagnosed");

        Assert.Equal(IotState.Failed, _parts.Db.Iot.StateOf(tampered.IdHex));
        Assert.Equal([good.IdHex], Assert.Single(_announced).Covers);
        var alert = Assert.Single(_parts.Raised);
        Assert.Equal(AlertKind.StoreTampered, alert.Kind);
        Assert.Equal(tampered.IdHex, alert.Details["tx"]);
    }

    [Fact]
    public async Task A_tampered_sealed_key_row_gives_its_epoch_up_with_one_alert_and_the_next_epoch_is_diagnosed()
    {
        await _patient.PayAsync(_parts.Doctor.Id, _world.Fee);
        var first = await _patient.PublishAsync(Signals.NowMs(), 3700);
        var second = await _patient.PublishAsync(Signals.NowMs(), 3710);
        await _parts.CatchUpAsync(_world.Ledger);
        var sealedIot = _parts.Db.Patients.GetKeys(_patient.Id, 1)!.SealedIotKey;
        sealedIot[^1] ^= 0x01;
        _parts.Db.Write(s => s.Execute("UPDATE epoch_keys SET sealed_iot_key = $v WHERE epoch = 1", ("$v", sealedIot)));

        Assert.True(await _diagnoser.StepAsync(_patient.Id, CancellationToken.None));
        Assert.False(await _diagnoser.StepAsync(_patient.Id, CancellationToken.None));

        Assert.Equal([IotState.Failed, IotState.Failed], new[] { first, second }.Select(t => _parts.Db.Iot.StateOf(t.IdHex)));
        Assert.Equal(2, _parts.Counters.Snapshot().Failed);
        var alert = Assert.Single(_parts.Raised);
        Assert.Equal((AlertKind.DecryptionFailed, "sealed-key", "1", _patient.Id.ToString()), (alert.Kind, alert.Details["object"], alert.Details["epoch"], alert.IdentityId));
        Assert.Contains($"The sealed IoT key of patient {_patient.Id}, epoch 1, in doctor.db does not open", alert.Details["error"], StringComparison.Ordinal);

        // The doctor's own reader refuses the row with the same words; the next epoch's keys are sealed afresh and serve.
        var refused = Assert.Throws<CryptoException>(() => _parts.Keys.Open(_patient.Id, 1));
        Assert.Equal(alert.Details["error"], refused.Message);
        await _patient.GrantAsync(_parts.Doctor);
        var next = await _patient.PublishAsync(Signals.NowMs(), 3720);
        await _parts.CatchUpAsync(_world.Ledger);
        Assert.True(await _diagnoser.StepAsync(_patient.Id, CancellationToken.None));
        await Eventually.WaitUntilAsync(() => !_announced.IsEmpty, "the next epoch diagnosed");
        Assert.Equal([next.IdHex], Assert.Single(_announced).Covers);
        Assert.Single(_parts.Raised);
    }

    [Fact]
    public async Task A_block_no_store_holds_is_given_up_after_the_last_fetch_with_one_block_missing_alert_and_the_rest_is_diagnosed()
    {
        await _patient.PayAsync(_parts.Doctor.Id, _world.Fee);
        var lost = await _patient.PublishAsync(Signals.NowMs(), 3700);
        var good = await _patient.PublishAsync(Signals.NowMs(), 3710);
        var cid = ((IotPayload)lost.Body.Payload).Cid;
        File.Delete(_world.Store.GetBlockPath(cid));
        await _parts.CatchUpAsync(_world.Ledger);

        // Each fetch before the last is a retry (the lane backs off); the last gives the transaction up.
        var retries = 0;
        while (true)
        {
            try
            {
                Assert.True(await _diagnoser.StepAsync(_patient.Id, CancellationToken.None));
                break;
            }
            catch (BlockNotFoundException)
            {
                retries++;
                Assert.InRange(retries, 1, new DoctorNodeOptions { DataFolder = _parts.Folder }.MaxFetchAttempts - 1);
            }
        }

        Assert.Equal(new DoctorNodeOptions { DataFolder = _parts.Folder }.MaxFetchAttempts - 1, retries);
        await Eventually.WaitUntilAsync(() => !_announced.IsEmpty, "the good batch diagnosed");
        Assert.Equal(IotState.Failed, _parts.Db.Iot.StateOf(lost.IdHex));
        Assert.Equal([good.IdHex], Assert.Single(_announced).Covers);
        var alert = Assert.Single(_parts.Raised);
        Assert.Equal((AlertKind.BlockMissing, AlertSeverity.Critical), (alert.Kind, alert.Severity));
        Assert.Equal((lost.IdHex, cid.ToString(), _patient.Id.ToString()), (alert.Details["tx"], alert.Details["cid"], alert.IdentityId));
        Assert.Contains($"Block {cid} of IoT transaction {lost.IdHex} of patient {_patient.Id}", alert.Message, StringComparison.Ordinal);
    }
}
