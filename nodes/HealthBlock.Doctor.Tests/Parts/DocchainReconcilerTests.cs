using HealthBlock.Doctor.Following;
using HealthBlock.Doctor.Storage;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor.Tests;

/// <summary>Reading this doctor's committed diagnoses back from Docchain (<see cref="DocchainReconciler"/>).</summary>
public sealed class DocchainReconcilerTests : IAsyncLifetime
{
    private DoctorWorld _world = null!;
    private DoctorParts _parts = null!;

    public async Task InitializeAsync()
    {
        _world = await DoctorWorld.StartAsync();
        _parts = new DoctorParts(await _world.RegisterDoctorAsync("Dr. Reconcile"));
    }

    public async Task DisposeAsync()
    {
        _parts.Dispose();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task Only_this_doctors_diagnoses_mark_what_they_cover_and_charge_a_fee_and_reading_again_changes_nothing()
    {
        var otherDoctor = await _world.RegisterDoctorAsync("Dr. Other");
        var patient = await _world.AddScriptedPatientAsync();
        await patient.GrantAsync(_parts.Doctor, otherDoctor);
        await patient.PayAsync(_parts.Doctor.Id, _world.Fee * 5);
        await patient.PayAsync(otherDoctor.Id, _world.Fee * 5);
        var mine = await patient.PublishAsync(Signals.NowMs(), 3700);
        var theirs = await patient.PublishAsync(Signals.NowMs(), 3710);
        await _parts.CatchUpAsync(_world.Ledger);

        // Committed by this doctor from elsewhere (a lost data folder, another process), and by another doctor.
        await _world.DiagnoseElsewhereAsync(_parts.Doctor, patient, mine);
        await _world.DiagnoseElsewhereAsync(_parts.Doctor, patient);
        await _world.DiagnoseElsewhereAsync(otherDoctor, patient, theirs);
        var reconciler = new DocchainReconciler(_world.Ledger, _parts.Doctor.Id, _parts.Db, _parts.Counters, TimeProvider.System);

        await reconciler.ReconcileAsync(CancellationToken.None);
        await reconciler.ReconcileAsync(CancellationToken.None);

        Assert.Equal(IotState.Diagnosed, _parts.Db.Iot.StateOf(mine.IdHex));
        Assert.Equal(IotState.Pending, _parts.Db.Iot.StateOf(theirs.IdHex));
        Assert.Equal(2, _parts.Db.Credit.Get(patient.Id).Charged);
        Assert.Equal(1, _parts.Counters.Snapshot().Diagnosed);
        var lastOfMine = (await _world.Ledger.GetTransactionsForAsync(_parts.Doctor.Id, ChainId.Docchain, 0))[^1].Location.Height;
        Assert.Equal(lastOfMine, _parts.Db.Counters.Get(CounterTable.DocchainReconciled));
    }
}
