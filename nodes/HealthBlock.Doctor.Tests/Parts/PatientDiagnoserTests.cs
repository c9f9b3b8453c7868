using System.Collections.Concurrent;
using HealthBlock.Alerts;
using HealthBlock.Analysis;
using HealthBlock.Doctor.Diagnosing;
using HealthBlock.Doctor.Storage;
using HealthBlock.Doctor.Submitting;
using HealthBlock.Protocol.Ledger;
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
}
