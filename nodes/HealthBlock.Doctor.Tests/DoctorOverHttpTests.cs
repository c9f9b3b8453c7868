using HealthBlock.Protocol.Frames;
using Xunit.Abstractions;

namespace HealthBlock.Doctor.Tests;

/// <summary>
/// The real path, end to end: a one-node accounting cluster (Raft, WAL) that the gateway, the doctor node, the
/// clinician note and the patient's reader all reach over HTTP through <c>LedgerClient</c>. The other doctor tests run
/// on the in-memory ledger; this one keeps the HTTP subscription, submission and commit waits covered.
/// </summary>
public sealed class DoctorOverHttpTests(ITestOutputHelper output) : IAsyncLifetime
{
    private DoctorWorld _world = null!;

    public async Task InitializeAsync() => _world = await DoctorWorld.StartOnAccountingNodeAsync(output);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Over_http_a_paid_batch_is_diagnosed_once_across_a_restart_a_note_follows_and_the_patient_reads_both()
    {
        var patient = await _world.AddPatientAsync();
        var doctorKey = await _world.RegisterDoctorAsync("Dr. Http");
        await patient.Gateway.Keys.GrantAsync(doctorKey.Id);
        var doctor = await _world.StartDoctorAsync(doctorKey);
        var device = await patient.PairAsync(0x4770_0001);

        await device.PublishAsync(SensorKind.Temperature, [3880], Signals.NowMs());
        await Eventually.WaitUntilAsync(() => doctor.Counters.AwaitingPayment == 1, "the batch awaiting payment");
        await patient.Gateway.Keys.PayAsync(doctorKey.Id, _world.Fee * 3);
        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == 1, "the batch diagnosed after the payment");

        await _world.StopDoctorAsync(doctor);
        await device.PublishAsync(SensorKind.Temperature, [3650], Signals.NowMs());
        await Eventually.WaitUntilAsync(() => patient.Gateway.Batcher.CommittedFrames == 2, "the second batch committed while the doctor is down");
        doctor = await _world.StartDoctorAsync(doctorKey);
        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == 2 && doctor.Counters.InProgress == 0, "the second batch diagnosed after the restart");

        var diagnoses = await _world.DiagnosesAsync(patient, doctorKey.Id);
        Assert.Equal(2, diagnoses.Count);
        var iot = (await _world.IotTransactionsAsync(patient)).Select(t => t.Transaction.IdHex).Order(StringComparer.Ordinal);
        Assert.Equal(iot, diagnoses.SelectMany(d => d.Payload.Covers.Select(Convert.ToHexStringLower)).Order(StringComparer.Ordinal));

        var note = await ClinicianNotes.PublishAsync(_world.DoctorFolder(doctorKey), doctorKey, _world.Ledger, _world.Store, diagnoses[0].Tx.IdHex, "Reviewed over HTTP.");
        var read = await PatientDiagnosisReader.ReadAsync(_world.Ledger, _world.Store, patient.Id, patient.DiagnosisKeys());
        Assert.Equal(3, read.Count);
        Assert.All(read, d => Assert.Null(d.Error));
        Assert.Equal("Reviewed over HTTP.", Assert.Single(read, d => d.TransactionId == note.TransactionId).Document!.ClinicianNote);

        // Three fees paid, three consumed (two diagnoses, one note): the ledger agrees the credit is spent.
        Assert.Equal(0UL, await _world.Ledger.GetCreditAsync(doctorKey.Id, patient.Id));
    }

    [Fact]
    public async Task A_revoked_doctors_page_still_lists_its_own_diagnoses_of_the_patient_but_the_patients_records_are_refused_to_it()
    {
        var patient = await _world.AddPatientAsync();
        var doctorKey = await _world.RegisterDoctorAsync("Dr. Former");
        await patient.Gateway.Keys.GrantAsync(doctorKey.Id);
        await patient.Gateway.Keys.PayAsync(doctorKey.Id, _world.Fee * 3);
        var doctor = await _world.StartDoctorAsync(doctorKey);
        var device = await patient.PairAsync(0x4770_0002);
        await device.PublishAsync(SensorKind.Temperature, [3990], Signals.NowMs());
        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == 1, "the batch diagnosed");
        var page = new Web.DoctorPageRecords(_world.DoctorFolder(doctorKey), doctorKey, _world.LedgerAs(doctorKey), _world.Store);
        var before = Assert.Single(await page.DiagnosesAsync(patient.Id.ToString(), CancellationToken.None));
        Assert.Null(before.Error);

        await patient.Gateway.Keys.RevokeAsync(doctorKey.Id);
        var doctorsLedger = _world.LedgerAs(doctorKey);
        await Eventually.WaitUntilAsync(
            async () =>
            {
                try
                {
                    await doctorsLedger.GetPatientKeysAsync(patient.Id);
                    return false;
                }
                catch (HealthBlock.Ledger.LedgerRejectedException e) when (e.Reason == HealthBlock.Ledger.RejectReason.Forbidden)
                {
                    return true;
                }
            },
            "the ledger refusing the patient's records to the revoked doctor");

        // Its own diagnosis stays on its page, opened with the key the patient gave it then; the patient shows revoked.
        var after = Assert.Single(await page.DiagnosesAsync(patient.Id.ToString(), CancellationToken.None));
        Assert.Equal(before.TransactionId, after.TransactionId);
        Assert.Null(after.Error);
        Assert.Equal(before.Findings.Select(f => f.Text), after.Findings.Select(f => f.Text));
        var summary = Assert.Single(await page.PatientsAsync(CancellationToken.None), p => p.Patient == patient.Id.ToString());
        Assert.False(summary.Authorised);
        Assert.Equal(1, summary.Diagnoses);
    }
}
